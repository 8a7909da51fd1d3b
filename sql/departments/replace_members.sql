-- one row per registered member of reference/members.csv, from the registered frame members (the table is
-- emptied first by the caller)
INSERT INTO registry_members BY NAME
SELECT * FROM members;
