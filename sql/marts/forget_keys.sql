-- removes the keys of an artifact's units about to be recomputed or dropped (registered frame mart_units)
DELETE FROM mart_keys
WHERE artifact = $artifact AND (county_code, unit) IN (SELECT county_code, unit FROM mart_units);
