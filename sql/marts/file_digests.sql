-- one row per file not digested yet (new, or re-read by a rerun): the count of its stored rows and an
-- order-free digest of them (xor of each row's hash, the row number included); their village × months' stamps
-- named stale first (sql/schema/093_unit_stamps.sql)
INSERT INTO unit_stamps_stale
SELECT village_code, period FROM source_files ANTI JOIN file_digests USING (file_id);
INSERT INTO file_digests
SELECT f.file_id, count(r.file_id) AS row_count, coalesce(bit_xor(hash(r)), 0) AS rows_digest
FROM (SELECT file_id FROM source_files ANTI JOIN file_digests USING (file_id)) f
LEFT JOIN return_rows r USING (file_id)
GROUP BY f.file_id;
