-- removes the case_evidence rows of the as-of income year's months up to $period whose household has no row in
-- household_status for that month any more (a correction took it out of its village's return): a month not on
-- record, as in a store rebuilt from the same files (the previous year's backfilled months are left alone)
DELETE FROM case_evidence e
WHERE e.period <= $period AND income_year_of(e.period) = income_year_of($period)
  AND NOT EXISTS (SELECT 1 FROM household_status s WHERE s.household_id = e.household_id AND s.period = e.period);
