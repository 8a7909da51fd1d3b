-- backtest_spreads: one row per county × backtested income year × month 1–11 that has no learned band
-- (backtest_bands; the county's first backtested year): the county's year-over-year spread for that month's
-- default band, as it was run (backtest_month_spreads: every household of the month as run, against the same month
-- of the year before as it stood then), at the month spread_month names (the month itself, or the last month before
-- a Spring Festival that moved: registered frame festival_months); projection_accuracy's default_scaled_error is in
-- proportion to it.
CREATE OR REPLACE TEMP TABLE backtest_spreads AS
WITH measured AS (
    SELECT b.county_code, b.income_year, b.income_month,
           spread_month(b.income_month, f.festival_month, g.festival_month) AS measured_month
    FROM (SELECT DISTINCT county_code, income_year, income_month FROM projection_backtest) b
    ANTI JOIN backtest_bands p USING (county_code, income_year, income_month)
    LEFT JOIN festival_months f ON f.income_year = b.income_year
    LEFT JOIN festival_months g ON g.income_year = b.income_year - 1
)
SELECT m.county_code, m.income_year, m.income_month, s.spread
FROM measured m
LEFT JOIN backtest_month_spreads s
  ON s.county_code = m.county_code AND s.income_year = m.income_year AND s.income_month = m.measured_month;
