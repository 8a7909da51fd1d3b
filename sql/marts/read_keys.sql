-- one row per cached unit of an artifact ($artifact): county, unit and the key it was computed from
SELECT county_code, unit, unit_key FROM mart_keys WHERE artifact = $artifact;
