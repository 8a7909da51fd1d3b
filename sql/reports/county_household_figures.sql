-- one row per county with households in $period: the key figures of its monitored households (recorded from
-- household_status by the run, tasks/report/history.py)
SELECT county_code, households_count, people_count, flagged_count, below_line_count, near_line_count,
       sudden_drop_count, unstable_lifted_count, guarantee_gap_count, line
FROM county_month_figures
WHERE period = $period AND households_count > 0
ORDER BY county_code;
