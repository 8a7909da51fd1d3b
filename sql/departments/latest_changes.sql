-- the village × months up to $as_of whose files differ from those household_latest was made from
-- (household_latest_keys): added (no file of it on record then), changed, or gone (digest NULL); a digest of what
-- decides a village × month's current version and its usable rows, as marts/village_stamps stamps them (keep the
-- two alike): versions, statuses, row counts and the digests of the stored rows, xor of each file's hash
WITH now AS (
    SELECT f.village_code, f.period,
           bit_xor(hash(f.file_id, f.status, f.correction_rank, f.ingest_run_id, f.last_delivery_id, f.file_name,
                        f.rows_read, f.rows_used, f.rows_quarantined, d.row_count, d.rows_digest)) AS digest
    FROM file_versions f
    LEFT JOIN file_digests d USING (file_id)
    WHERE f.village_code IS NOT NULL AND f.period IS NOT NULL AND f.period <= $as_of
    GROUP BY f.village_code, f.period
)
SELECT coalesce(n.village_code, k.village_code) AS village_code, coalesce(n.period, k.period) AS period,
       k.digest IS NULL AS added, n.digest
FROM now n
FULL JOIN household_latest_keys k ON k.village_code = n.village_code AND k.period = n.period
WHERE n.digest IS DISTINCT FROM k.digest
ORDER BY village_code, period;
