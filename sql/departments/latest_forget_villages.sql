-- household_latest's and household_head_ids' rows of the villages in the registered frame latest_villages
-- (recomputed next)
DELETE FROM household_latest WHERE village_code IN (SELECT village_code FROM latest_villages);
DELETE FROM household_head_ids WHERE village_code IN (SELECT village_code FROM latest_villages);
