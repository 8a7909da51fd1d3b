-- one row per village × period from $first_period to $last_period with any file on record: a digest of every
-- file of it (unit_stamps_kept, brought up to date first: tasks/marts/unit_stamps.fresh). The marts kept by village
-- (household_status) are keyed on these, so that a village's late return recomputes its own households, not its
-- county's.
SELECT village_code, period, stamp
FROM unit_stamps_kept
WHERE period BETWEEN $first_period AND $last_period
ORDER BY village_code, period;
