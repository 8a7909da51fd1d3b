-- one row per county × month 1–11 of the complete income years of the county × year units of registered frame
-- mart_units (county_code, unit = income year) whose projection was learned from an earlier complete year, into
-- backtest_month_spreads: the county's year-over-year spread at that month as it was run (year_over_year_spread),
-- over every household projected then (household_projections, as projection_backtest: those that had left by
-- September too, as the spread the pipeline showed had them), against the same month of the year before as it
-- stood then (temporary view backtest_history), from at least $band_spread_min_households households. A first
-- year's default band is in proportion to it (backtest_spreads).
INSERT INTO backtest_month_spreads
SELECT p.county_code, p.income_year, p.income_month,
       year_over_year_spread(year_over_year_change(p.ytd_net_income / p.household_size,
                                                   l.ytd_net_income / l.household_size),
                             $band_spread_min_households) AS spread
FROM household_projections p
LEFT JOIN backtest_history l
  ON l.household_id = p.household_id AND l.income_year = p.income_year - 1 AND l.income_month = p.income_month
WHERE p.income_month < 12 AND p.is_learned
  AND (p.county_code, p.income_year::TEXT) IN (SELECT county_code, unit FROM mart_units)
GROUP BY ALL;
