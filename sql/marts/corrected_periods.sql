-- one row per county × period with a village whose current file version is not the one current when that
-- month was first run (as_run_files): a correction sent later. The backtest projects the months of these from
-- the versions as run (month_rows), the others from household_months itself. Read once per projection step.
SELECT DISTINCT left(c.village_code, 6) AS county_code, c.period
FROM current_files c
JOIN as_run_files a ON a.village_code = c.village_code AND a.period = c.period
WHERE a.file_id <> c.file_id;
