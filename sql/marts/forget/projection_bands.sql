-- removes the rows of projection_bands of the units about to be recomputed or dropped (registered frame mart_units)
DELETE FROM projection_bands WHERE (county_code, income_year::TEXT) IN (SELECT county_code, unit FROM mart_units);
