-- file_versions: one row per file (hash × name) with its latest delivery (NULL for a file of a store older
-- than the delivery log): what decides its standing among the versions of its village and month.
CREATE OR REPLACE VIEW file_versions AS
SELECT f.*, d.last_delivery_id
FROM source_files f
LEFT JOIN (SELECT sha256, file_name, max(delivery_id) AS last_delivery_id FROM deliveries GROUP BY ALL) d
  USING (sha256, file_name);

-- current_file_versions: one row per village × period: the loaded file version that wins by the correction rules
-- (higher rank; at equal rank the latest delivery, so A, B, then A again keeps A; files older than the delivery log
-- by their run, then the name sorting last), and that version's latest delivery. Kept, not computed on every read:
-- the rules' window over every file on record cost 35-60 ms per read in the city (0.3 s at province), about a dozen
-- reads a run. The one writer of source_files and deliveries (tasks/ingest/load.load_batch) names the village ×
-- months it touched in current_files_stale, and load/refresh_current_files computes them again, in its transaction.
CREATE TABLE IF NOT EXISTS current_file_versions (
    village_code     TEXT,
    period           TEXT,
    file_id          INTEGER NOT NULL,
    last_delivery_id INTEGER
);
-- current_files_stale: the village × months whose current version is to be computed again (empty between
-- transactions).
CREATE TABLE IF NOT EXISTS current_files_stale (village_code TEXT, period TEXT);

-- stale_current_versions: the correction rules over the files of the village × months of current_files_stale.
-- (Whether a file is loaded is asked after the join: asked of every file on record first, it cost three times the
-- join at province.)
CREATE OR REPLACE VIEW stale_current_versions AS
WITH files AS MATERIALIZED (
    SELECT f.file_id, f.sha256, f.file_name, f.village_code, f.period, f.correction_rank, f.ingest_run_id, f.status
    FROM source_files f
    SEMI JOIN current_files_stale s
      ON f.village_code IS NOT DISTINCT FROM s.village_code AND f.period IS NOT DISTINCT FROM s.period
), last_deliveries AS (
    SELECT sha256, file_name, max(delivery_id) AS last_delivery_id
    FROM deliveries SEMI JOIN files USING (sha256, file_name)
    GROUP BY ALL
)
SELECT village_code, period, file_id, last_delivery_id
FROM (
    SELECT f.village_code, f.period, f.file_id, d.last_delivery_id,
           row_number() OVER (PARTITION BY f.village_code, f.period
                              ORDER BY f.correction_rank DESC, d.last_delivery_id DESC NULLS LAST,
                                       f.ingest_run_id DESC, f.file_name DESC, f.file_id DESC) AS version_order
    FROM files f
    LEFT JOIN last_deliveries d USING (sha256, file_name)
    WHERE f.status = 'loaded'
)
WHERE version_order = 1;

-- current_files: one row per village × period: its current file version (current_file_versions) with the file's
-- record and its latest delivery.
CREATE OR REPLACE VIEW current_files AS
SELECT f.*, c.last_delivery_id
FROM source_files f
JOIN current_file_versions c USING (file_id);

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
