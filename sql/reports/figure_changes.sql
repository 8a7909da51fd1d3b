-- one row per county of $county_codes with households in $period: its key figures the month before (same income
-- year, household_status; NULLs in October, the first month) and in the same month of the previous income year:
-- the monitored households (household_months) and, of the households the backtest followed through that year,
-- how many the seasonal projection of that month put below that year's line (in September: the year-end actual)
WITH this AS (
    SELECT income_year_of($period) AS income_year, income_month_of($period) AS income_month,
           strftime(strptime($period || '01', '%Y%m%d') - INTERVAL 1 MONTH, '%Y%m') AS previous_period
), now AS (
    SELECT county_code FROM household_status
    WHERE period = $period AND list_contains($county_codes, county_code) GROUP BY county_code
), month_before AS (
    SELECT county_code,
           count(*)                                   AS households_count,
           count(*) FILTER (WHERE flags <> '')        AS flagged_count,
           count(*) FILTER (WHERE is_below_line)      AS below_line_count,
           count(*) FILTER (WHERE is_near_line)       AS near_line_count,
           count(*) FILTER (WHERE is_sudden_drop)     AS sudden_drop_count,
           count(*) FILTER (WHERE is_unstable_lifted) AS unstable_lifted_count,
           count(*) FILTER (WHERE has_guarantee_gap)  AS guarantee_gap_count
    FROM household_status, this
    WHERE period = this.previous_period AND household_status.income_year = this.income_year
      AND list_contains($county_codes, county_code)
    GROUP BY county_code
), year_before AS (
    SELECT county_code, count(DISTINCT household_id) AS households_count
    FROM household_months, this
    WHERE household_months.income_year = this.income_year - 1 AND household_months.income_month = this.income_month
      AND list_contains($county_codes, county_code)
    GROUP BY county_code
), backtest_before AS (
    SELECT county_code,
           count(*)                                   AS followed_count,
           count(*) FILTER (WHERE CASE WHEN this.income_month = 12 THEN actual_per_capita
                                       ELSE projected_per_capita END < line) AS below_line_count
    FROM projection_backtest, this
    WHERE projection_backtest.income_year = this.income_year - 1
      AND projection_backtest.income_month = least(this.income_month, 11)
      AND list_contains($county_codes, county_code)
    GROUP BY county_code
)
SELECT n.county_code,
       m.households_count                             AS prev_households_count,
       m.flagged_count                                AS prev_flagged_count,
       m.below_line_count                             AS prev_below_line_count,
       m.near_line_count                              AS prev_near_line_count,
       m.sudden_drop_count                            AS prev_sudden_drop_count,
       m.unstable_lifted_count                        AS prev_unstable_lifted_count,
       m.guarantee_gap_count                          AS prev_guarantee_gap_count,
       y.households_count                             AS year_households_count,
       b.followed_count                               AS year_followed_count,
       b.below_line_count                             AS year_below_line_count
FROM now n
LEFT JOIN month_before m USING (county_code)
LEFT JOIN year_before y USING (county_code)
LEFT JOIN backtest_before b USING (county_code)
ORDER BY n.county_code;
