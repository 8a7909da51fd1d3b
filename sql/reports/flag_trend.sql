-- one row per county of $county_codes × month of the income year (1 = October … 12 = September): this income
-- year's households, flagged, below and near the line up to $period (NULLs after it), beside the previous income
-- year's share below the line among the households the backtest followed (the seasonal projection of that month;
-- September: the year-end actual)
WITH this AS (
    SELECT income_year_of($period) AS income_year
), months AS (
    SELECT c.county_code, m.income_month
    FROM (SELECT DISTINCT county_code FROM household_status
          WHERE period = $period AND list_contains($county_codes, county_code)) c,
         range(1, 13) m(income_month)
), this_year AS (
    SELECT county_code, income_month, min(period) AS period,
           count(*)                                   AS households_count,
           count(*) FILTER (WHERE flags <> '')        AS flagged_count,
           count(*) FILTER (WHERE is_below_line)      AS below_line_count,
           count(*) FILTER (WHERE is_near_line)       AS near_line_count
    FROM household_status, this
    WHERE list_contains($county_codes, county_code) AND household_status.income_year = this.income_year
      AND period <= $period
    GROUP BY county_code, income_month
), last_year AS (
    SELECT county_code, income_month, count(*) AS followed_count,
           count(*) FILTER (WHERE projected_per_capita < line) AS below_line_count,
           count(*) FILTER (WHERE income_month = 11 AND actual_per_capita < line) AS year_end_below_count
    FROM projection_backtest, this
    WHERE list_contains($county_codes, county_code) AND projection_backtest.income_year = this.income_year - 1
    GROUP BY county_code, income_month
)
SELECT m.county_code,
       m.income_month,
       t.period,
       t.households_count,
       t.flagged_count,
       t.below_line_count,
       t.near_line_count,
       CASE WHEN m.income_month = 12 THEN e.year_end_below_count ELSE l.below_line_count END
           / nullif(coalesce(l.followed_count, e.followed_count), 0)           AS last_year_below_line_share
FROM months m
LEFT JOIN this_year t USING (county_code, income_month)
LEFT JOIN last_year l USING (county_code, income_month)
LEFT JOIN last_year e ON e.county_code = m.county_code AND e.income_month = 11
ORDER BY m.county_code, m.income_month;
