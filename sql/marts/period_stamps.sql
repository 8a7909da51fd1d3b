-- one row per county × period with any file on record: a digest of every file of it (loaded or rejected,
-- with what decides the current version and its row counts). The marts' units are keyed on these.
SELECT left(village_code, 6) AS county_code,
       period,
       md5(string_agg(concat_ws(':', file_id, status, correction_rank, ingest_run_id, file_name, rows_read,
                                rows_used, rows_quarantined), ',' ORDER BY file_id)) AS stamp
FROM source_files
WHERE village_code IS NOT NULL AND period IS NOT NULL
GROUP BY ALL
ORDER BY county_code, period;
