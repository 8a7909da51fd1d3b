-- current_files: one row per village × period: the loaded file version that wins by the
-- correction rules (higher rank; at equal rank the later run; within a run the name sorting last).
CREATE OR REPLACE VIEW current_files AS
SELECT * EXCLUDE (version_order)
FROM (
    SELECT f.*,
           row_number() OVER (PARTITION BY village_code, period
                              ORDER BY correction_rank DESC, ingest_run_id DESC, file_name DESC, file_id DESC) AS version_order
    FROM source_files f
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
SELECT f.*
FROM source_files f
LEFT JOIN current_files c
  ON c.village_code = f.village_code AND c.period = f.period
WHERE c.file_id IS NULL
   OR c.file_id = f.file_id
   OR c.correction_rank < f.correction_rank
   OR (c.correction_rank = f.correction_rank AND c.ingest_run_id < f.ingest_run_id)
   OR (c.correction_rank = f.correction_rank AND c.ingest_run_id = f.ingest_run_id
       AND (c.file_name, c.file_id) < (f.file_name, f.file_id));
