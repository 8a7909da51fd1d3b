-- removes the rows of calendar_shares of the units about to be recomputed or dropped (registered frame mart_units)
DELETE FROM calendar_shares WHERE (county_code, income_year::TEXT) IN (SELECT county_code, unit FROM mart_units);
