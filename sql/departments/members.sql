-- one row per registered member of reference/members.csv
SELECT household_id, id_number, relation FROM registry_members;
