-- removes the figures of the county × period units about to be recomputed (registered frame mart_units)
DELETE FROM county_month_figures WHERE (county_code, period) IN (SELECT county_code, unit FROM mart_units);
