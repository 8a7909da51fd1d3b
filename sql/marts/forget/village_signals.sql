-- removes the rows of village_signals of the units about to be recomputed or dropped (registered frame mart_units)
DELETE FROM village_signals WHERE (county_code, period) IN (SELECT county_code, unit FROM mart_units);
