-- removes the rows of household_status of the village × period units about to be recomputed or dropped
-- (registered frame mart_units, a village's code in its county_code column: tasks/marts/flag.py)
DELETE FROM household_status WHERE (village_code, period) IN (SELECT county_code, unit FROM mart_units);
