-- the temporary backtest_as_then: one county's ($county_code) backtest rows of the years before $income_year, their
-- year-end actuals as they stood when a backtest month of $income_year was run (the September rows of months_then;
-- a household without one had no actual then, so no row), of the villages × months whose return had come by then
-- (a late return of an earlier month had no backtest row then): what that month's band was learned from.
CREATE OR REPLACE TEMP TABLE backtest_as_then AS
SELECT b.* REPLACE (s.ytd_net_income / s.household_size AS actual_per_capita)
FROM projection_backtest b
JOIN months_then s ON s.household_id = b.household_id AND s.income_year = b.income_year AND s.income_month = 12
SEMI JOIN (SELECT DISTINCT village_code, income_year, income_month FROM months_then) v
  ON v.village_code = left(b.household_id, 12) AND v.income_year = b.income_year
 AND v.income_month = b.income_month
WHERE b.county_code = $county_code AND b.income_year < $income_year;
