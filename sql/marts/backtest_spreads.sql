-- backtest_spreads: one row per county × backtested income year × month 1–11 that has no learned band
-- (projection_bands; the county's first backtested year): the county's year-over-year spread at that month as it
-- was run (year_over_year_spread of each household's year to date then, projection_backtest, against the same
-- month of the year before, from at least $band_spread_min_households households), which that year's default
-- band is in proportion to (projection_accuracy, default_scaled_error).
CREATE OR REPLACE TEMP TABLE backtest_spreads AS
SELECT b.county_code, b.income_year, b.income_month,
       year_over_year_spread(year_over_year_change(b.ytd_per_capita, l.ytd_net_income / l.household_size),
                             $band_spread_min_households) AS spread
FROM projection_backtest b
ANTI JOIN projection_bands p USING (county_code, income_year, income_month)
JOIN household_months l
  ON l.household_id = b.household_id AND l.income_year = b.income_year - 1 AND l.income_month = b.income_month
GROUP BY ALL;
