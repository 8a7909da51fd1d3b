-- one row per county × period with any file on record: a digest of its villages' stamps (county_stamps_kept,
-- brought up to date first: tasks/marts/unit_stamps.fresh), each a digest of every file of the village × month
-- (loaded or rejected, with what decides the current version, its row counts and the digest of its stored rows).
-- The marts' units are keyed on these.
SELECT county_code, period, stamp FROM county_stamps_kept ORDER BY county_code, period;
