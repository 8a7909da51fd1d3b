-- one row per household a department record can be about: a registered member's, or one whose latest usable return
-- (household_latest, kept up to the as-of month) names the record's ID number as head (the registered frame
-- department_ids: the records' ID numbers). Only the latest head: findings match a record to a household by its
-- latest head (findings.match_people), so a head named only in an older return matched nothing. Heads are compared
-- by hash (a collision adds one, harmless: the records are matched to the latest head after)
SELECT DISTINCT household_id FROM household_latest
WHERE hash(head_id_number) IN (SELECT hash(id_number) FROM department_ids)
UNION
SELECT household_id FROM registry_members WHERE id_number IN (SELECT id_number FROM department_ids);
