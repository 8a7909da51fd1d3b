-- backtest_spreads: one row per county × backtested income year × month 1–11 that has no learned band
-- (backtest_bands; the county's first backtested year): the county's year-over-year spread for that month's
-- default band, as it was run: year_over_year_spread of each household's year to date then (projection_backtest),
-- against the same month of the year before as it stood then, from at least $band_spread_min_households
-- households, at the month spread_month names (the month itself, or the last month before a Spring Festival that
-- moved: registered frame festival_months); projection_accuracy's default_scaled_error is in proportion to it.
CREATE OR REPLACE TEMP TABLE backtest_spreads AS
WITH measured AS (
    SELECT b.county_code, b.income_year, b.income_month,
           spread_month(b.income_month, f.festival_month, g.festival_month) AS measured_month
    FROM (SELECT DISTINCT county_code, income_year, income_month FROM projection_backtest) b
    ANTI JOIN backtest_bands p USING (county_code, income_year, income_month)
    LEFT JOIN festival_months f ON f.income_year = b.income_year
    LEFT JOIN festival_months g ON g.income_year = b.income_year - 1
), by_month AS (
    SELECT b.county_code, b.income_year, b.income_month,
           year_over_year_spread(year_over_year_change(b.ytd_per_capita, b.last_year_ytd_per_capita),
                                 $band_spread_min_households) AS spread
    FROM projection_backtest b
    SEMI JOIN (SELECT DISTINCT county_code, income_year FROM measured) u USING (county_code, income_year)
    WHERE b.last_year_ytd_per_capita IS NOT NULL
    GROUP BY ALL
)
SELECT m.county_code, m.income_year, m.income_month, s.spread
FROM measured m
LEFT JOIN by_month s
  ON s.county_code = m.county_code AND s.income_year = m.income_year AND s.income_month = m.measured_month;
