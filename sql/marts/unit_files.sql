-- one row per file of the county × period units of registered frame mart_units, into mart_unit_files (emptied
-- first by marts/forget_unit_files): the current versions, or with $as_run those current when that month was
-- first run (as_run_files: what the backtest may know at that month).
INSERT INTO mart_unit_files
SELECT c.file_id
FROM current_files c
JOIN mart_units u ON u.county_code = left(c.village_code, 6) AND u.unit = c.period
WHERE NOT $as_run
UNION ALL
SELECT a.file_id
FROM as_run_files a
JOIN mart_units u ON u.county_code = left(a.village_code, 6) AND u.unit = a.period
WHERE $as_run;
