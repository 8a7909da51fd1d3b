-- records the keys of an artifact's units just computed (registered frame mart_units: county_code, unit, unit_key)
INSERT INTO mart_keys SELECT $artifact, county_code, unit, unit_key FROM mart_units;
