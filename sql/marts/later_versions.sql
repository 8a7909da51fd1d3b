-- one row: how many village × periods of the county × period units of registered frame mart_units have a
-- current file version other than the one current when that month was first run (as_run_files); with none,
-- the backtest projects from household_months itself.
SELECT count(*)
FROM current_files c
JOIN mart_units u ON u.county_code = left(c.village_code, 6) AND u.unit = c.period
JOIN as_run_files a ON a.village_code = c.village_code AND a.period = c.period
WHERE a.file_id <> c.file_id;
