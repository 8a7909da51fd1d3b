-- household_head_ids (sql/schema/105_household_latest.sql) in a store made before it: household_latest forgotten with
-- what it was made from, so the next department check computes both from every village's months, as a first one
DELETE FROM household_latest;
DELETE FROM household_latest_keys;
DELETE FROM household_latest_state;
