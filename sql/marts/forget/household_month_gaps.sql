-- removes the rows of household_month_gaps of the units about to be recomputed or dropped (registered frame mart_units)
DELETE FROM household_month_gaps WHERE (county_code, income_year::TEXT) IN (SELECT county_code, unit FROM mart_units);
