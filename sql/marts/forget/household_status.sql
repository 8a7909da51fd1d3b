-- removes the rows of household_status of the units about to be recomputed or dropped (registered frame mart_units)
DELETE FROM household_status WHERE (county_code, period) IN (SELECT county_code, unit FROM mart_units);
