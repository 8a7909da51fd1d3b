-- removes the household_status rows of the county × period units of registered frame mart_units (a past income
-- year's months, flagged again only to be counted)
DELETE FROM household_status WHERE (county_code, period) IN (SELECT county_code, unit FROM mart_units);
