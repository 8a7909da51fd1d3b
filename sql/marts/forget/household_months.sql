-- removes the rows of household_months of the units about to be recomputed or dropped (registered frame mart_units)
DELETE FROM household_months WHERE (county_code, period) IN (SELECT county_code, unit FROM mart_units);
