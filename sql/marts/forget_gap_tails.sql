-- removes the estimates after the last return of the year of the households of gap_households
-- (marts/gap_tail_households), in the units registered as mart_units: the rows marts/household_month_gaps with
-- $tails_only makes again
DELETE FROM household_month_gaps
WHERE after_month IS NULL
  AND (county_code, income_year::TEXT) IN (SELECT county_code, unit FROM mart_units)
  AND (household_id, income_year) IN (SELECT household_id, income_year FROM gap_households);
