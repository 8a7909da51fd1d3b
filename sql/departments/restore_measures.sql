-- one update per household × period whose measure a CLUE changed and that has not been recomputed since: its
-- measure without the clues again
UPDATE household_status h
SET suggested_measure = m.base_measure
FROM department_measures m
WHERE h.household_id = m.household_id AND h.period = m.period
  AND h.suggested_measure IS NOT DISTINCT FROM m.applied_measure;
