-- as_run_files: one row per village × period: the loaded file version that was current at the end of the
-- first run that loaded any file of that village × period (the correction rules of current_files among the
-- files of that run and before). A correction sent in a later run is not in it: the backtest projects each
-- month from these, so that nothing learned later informs an earlier month.
CREATE OR REPLACE VIEW as_run_files AS
WITH first_runs AS (
    SELECT village_code, period, min(ingest_run_id) AS first_run_id
    FROM source_files WHERE status = 'loaded'
    GROUP BY ALL
)
SELECT * EXCLUDE (version_order, first_run_id)
FROM (
    SELECT f.*, r.first_run_id,
           row_number() OVER (PARTITION BY f.village_code, f.period
                              ORDER BY correction_rank DESC, ingest_run_id DESC, file_name DESC, file_id DESC) AS version_order
    FROM source_files f
    JOIN first_runs r ON r.village_code = f.village_code AND r.period = f.period
    WHERE f.status = 'loaded' AND f.ingest_run_id <= r.first_run_id
)
WHERE version_order = 1;
