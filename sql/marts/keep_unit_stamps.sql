-- the stamps of the village × months of unit_stamps_stale and of their counties × months computed again
-- (sql/schema/093_unit_stamps.sql), then the stale list emptied. `stamp` is what marts/village_stamps gave, `digest` what departments/latest_changes did.
DELETE FROM unit_stamps_kept k USING unit_stamps_stale s WHERE k.village_code = s.village_code AND k.period = s.period;
INSERT INTO unit_stamps_kept
WITH files AS MATERIALIZED (
    SELECT f.file_id, f.sha256, f.file_name, f.village_code, f.period, f.status, f.correction_rank, f.ingest_run_id,
           f.rows_read, f.rows_used, f.rows_quarantined
    FROM source_files f
    SEMI JOIN unit_stamps_stale s USING (village_code, period)
), last_deliveries AS (
    SELECT sha256, file_name, max(delivery_id) AS last_delivery_id
    FROM deliveries SEMI JOIN files USING (sha256, file_name)
    GROUP BY ALL
)
SELECT f.village_code, f.period,
       md5(string_agg(concat_ws(':', f.file_id, f.status, f.correction_rank, f.ingest_run_id, l.last_delivery_id,
                                f.file_name, f.rows_read, f.rows_used, f.rows_quarantined, d.row_count, d.rows_digest),
                      ',' ORDER BY f.file_id)) AS stamp,
       bit_xor(hash(f.file_id, f.status, f.correction_rank, f.ingest_run_id, l.last_delivery_id, f.file_name,
                    f.rows_read, f.rows_used, f.rows_quarantined, d.row_count, d.rows_digest)) AS digest
FROM files f
LEFT JOIN last_deliveries l USING (sha256, file_name)
LEFT JOIN file_digests d USING (file_id)
GROUP BY f.village_code, f.period;
DELETE FROM county_stamps_kept k USING unit_stamps_stale s
WHERE k.county_code = left(s.village_code, 6) AND k.period = s.period;
INSERT INTO county_stamps_kept
WITH counties AS (SELECT DISTINCT left(village_code, 6) AS county_code, period FROM unit_stamps_stale)
SELECT c.county_code, c.period, md5(string_agg(k.village_code || '=' || k.stamp, ',' ORDER BY k.village_code)) AS stamp
FROM unit_stamps_kept k
JOIN counties c ON left(k.village_code, 6) = c.county_code AND k.period = c.period
GROUP BY ALL;
DELETE FROM unit_stamps_stale;
