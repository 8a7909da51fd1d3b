-- one row per county × period with any file on record: a digest of every file of it (loaded or rejected,
-- with what decides the current version, its row counts and the digest of its stored rows). The marts'
-- units are keyed on these.
SELECT left(f.village_code, 6) AS county_code,
       f.period,
       md5(string_agg(concat_ws(':', f.file_id, f.status, f.correction_rank, f.ingest_run_id, f.last_delivery_id, f.file_name,
                                f.rows_read, f.rows_used, f.rows_quarantined, d.row_count, d.rows_digest),
                      ',' ORDER BY f.file_id)) AS stamp
FROM file_versions f
LEFT JOIN file_digests d USING (file_id)
WHERE f.village_code IS NOT NULL AND f.period IS NOT NULL
GROUP BY ALL
ORDER BY county_code, period;
