-- one row per household a department record can be about: a registered member's, or one whose return (up to
-- $as_of) names the record's ID number as head (the registered frame department_ids: the records' ID numbers)
SELECT DISTINCT household_id FROM households_current
WHERE period <= $as_of AND household_id IS NOT NULL
  AND head_id_number IN (SELECT id_number FROM department_ids)
UNION
SELECT household_id FROM registry_members WHERE id_number IN (SELECT id_number FROM department_ids);
