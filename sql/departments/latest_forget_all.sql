-- household_latest and household_head_ids emptied, with what they were made from (every village computed again next)
DELETE FROM household_latest;
DELETE FROM household_latest_keys;
DELETE FROM household_latest_state;
DELETE FROM household_head_ids;
