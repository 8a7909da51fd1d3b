-- one row per household × month 1–11 of the complete income years of the county × year units of registered
-- frame mart_units (county_code, unit = income year) whose projection was learned from an earlier complete
-- year: the seasonal, county_shares and naive projections (household_projections, made for those units from
-- the file versions current when each month was run) beside the year-end actual (current versions), and the
-- line of that year (registered frame policy_years), the years of history of the household's calendar, the
-- year-to-date per-capita the projection started from and the same month's of the year before as it stood then
-- (temporary view backtest_history: household_months, or months_then). The backtest and the bands read it.
INSERT INTO projection_backtest
SELECT p.household_id, p.county_code, p.income_year, p.income_month,
       p.projected_per_capita,
       p.county_per_capita,
       p.naive_per_capita,
       e.ytd_net_income / e.household_size AS actual_per_capita,
       y.line,
       p.history_years,
       p.ytd_net_income / p.household_size AS ytd_per_capita,
       l.ytd_net_income / l.household_size AS last_year_ytd_per_capita
FROM household_projections p
JOIN household_months e
  ON e.household_id = p.household_id AND e.income_year = p.income_year AND e.income_month = 12
JOIN policy_years y ON y.income_year = p.income_year
LEFT JOIN backtest_history l
  ON l.household_id = p.household_id AND l.income_year = p.income_year - 1 AND l.income_month = p.income_month
WHERE p.income_month < 12 AND p.is_learned
  AND (p.county_code, p.income_year::TEXT) IN (SELECT county_code, unit FROM mart_units);
