-- file_versions: one row per file (hash × name) with its latest delivery (NULL for a file of a store older
-- than the delivery log): what decides its standing among the versions of its village and month.
CREATE OR REPLACE VIEW file_versions AS
SELECT f.*, d.last_delivery_id
FROM source_files f
LEFT JOIN (SELECT sha256, file_name, max(delivery_id) AS last_delivery_id FROM deliveries GROUP BY ALL) d
  USING (sha256, file_name);

-- current_files: one row per village × period: the loaded file version that wins by the correction rules
-- (higher rank; at equal rank the latest delivery, so A, B, then A again keeps A; files older than the
-- delivery log by their run, then the name sorting last).
CREATE OR REPLACE VIEW current_files AS
SELECT * EXCLUDE (version_order)
FROM (
    SELECT f.*,
           row_number() OVER (PARTITION BY village_code, period
                              ORDER BY correction_rank DESC, last_delivery_id DESC NULLS LAST, ingest_run_id DESC,
                                       file_name DESC, file_id DESC) AS version_order
    FROM file_versions f
    WHERE status = 'loaded'
)
WHERE version_order = 1;

-- households_current: one row per household × period, from the current file, errors excluded.
CREATE OR REPLACE VIEW households_current AS
SELECT r.*
FROM return_rows r
JOIN current_files c USING (file_id)
WHERE NOT r.is_quarantined;

-- problem_files: one row per file whose problems are still listed: every file that no loaded
-- version of the same village × period supersedes (files with unusable names are always listed).
CREATE OR REPLACE VIEW problem_files AS
SELECT f.* EXCLUDE (last_delivery_id)
FROM file_versions f
LEFT JOIN current_files c
  ON c.village_code = f.village_code AND c.period = f.period
WHERE c.file_id IS NULL
   OR c.file_id = f.file_id
   OR c.correction_rank < f.correction_rank
   OR (c.correction_rank = f.correction_rank
       AND (coalesce(c.last_delivery_id, -1), c.ingest_run_id, c.file_name, c.file_id)
         < (coalesce(f.last_delivery_id, -1), f.ingest_run_id, f.file_name, f.file_id));
