-- household_latest_keys brought to the village × months of latest_changes_now: their digests now (none when gone)
DELETE FROM household_latest_keys k USING latest_changes_now c
WHERE k.village_code = c.village_code AND k.period = c.period;
INSERT INTO household_latest_keys SELECT village_code, period, digest FROM latest_changes_now WHERE digest IS NOT NULL;
DELETE FROM household_latest_state;  -- the month kept up to: inserted after
