-- one row per village × period from $first_period to $last_period with any file on record: a digest of every
-- file of it, made as marts/period_stamps makes a county's (keep the two alike). The marts kept by village
-- (household_status) are keyed on these, so that a village's late return recomputes its own households, not its
-- county's.
SELECT f.village_code,
       f.period,
       md5(string_agg(concat_ws(':', f.file_id, f.status, f.correction_rank, f.ingest_run_id, f.last_delivery_id, f.file_name,
                                f.rows_read, f.rows_used, f.rows_quarantined, d.row_count, d.rows_digest),
                      ',' ORDER BY f.file_id)) AS stamp
FROM file_versions f
LEFT JOIN file_digests d USING (file_id)
WHERE f.village_code IS NOT NULL AND f.period BETWEEN $first_period AND $last_period
GROUP BY ALL
ORDER BY f.village_code, f.period;
