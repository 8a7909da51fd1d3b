-- one row: how many household_status rows the county × period units of registered frame mart_units hold
SELECT count(*) FROM household_status WHERE (county_code, period) IN (SELECT county_code, unit FROM mart_units);
