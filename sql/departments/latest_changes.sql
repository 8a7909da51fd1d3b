-- the village × months up to $as_of whose files differ from those household_latest was made from
-- (household_latest_keys): added (no file of it on record then), changed, or gone (digest NULL); a digest of what
-- decides a village × month's current version and its usable rows, as marts/village_stamps stamps them (keep the
-- two alike): versions, statuses, row counts and the digests of the stored rows, xor of each file's hash (kept in
-- unit_stamps_kept, brought up to date first: tasks/marts/unit_stamps.fresh)
WITH now AS (
    SELECT village_code, period, digest FROM unit_stamps_kept WHERE period <= $as_of
)
SELECT coalesce(n.village_code, k.village_code) AS village_code, coalesce(n.period, k.period) AS period,
       k.digest IS NULL AS added, n.digest
FROM now n
FULL JOIN household_latest_keys k ON k.village_code = n.village_code AND k.period = n.period
WHERE n.digest IS DISTINCT FROM k.digest
ORDER BY village_code, period;
