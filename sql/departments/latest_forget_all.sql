-- household_latest emptied, with what it was made from (every village computed again next)
DELETE FROM household_latest;
DELETE FROM household_latest_keys;
DELETE FROM household_latest_state;
