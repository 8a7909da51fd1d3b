-- one update per household × period of department_measures: the measure with its CLUEs' measures
UPDATE household_status h
SET suggested_measure = m.applied_measure
FROM department_measures m
WHERE h.household_id = m.household_id AND h.period = m.period;
