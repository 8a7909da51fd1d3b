-- one row per month of the income year: the backtest of the projection by method (seasonal, the production method;
-- county_shares, the county's one curve; naive, 12/month), averaged over the income years measured, and the share
-- of year-end actuals inside the 10–90 % band the seasonal projection showed (coverage)
SELECT month,
       count(DISTINCT income_year)                                                 AS income_years_count,
       avg(median_abs_pct_error) FILTER (WHERE method = 'seasonal')                AS seasonal_error,
       avg(median_abs_pct_error) FILTER (WHERE method = 'county_shares')           AS county_shares_error,
       avg(median_abs_pct_error) FILTER (WHERE method = 'naive')                   AS naive_error,
       avg(below_line_precision) FILTER (WHERE method = 'seasonal')                AS seasonal_precision,
       avg(below_line_precision) FILTER (WHERE method = 'county_shares')           AS county_shares_precision,
       avg(below_line_precision) FILTER (WHERE method = 'naive')                   AS naive_precision,
       avg(below_line_recall) FILTER (WHERE method = 'seasonal')                   AS seasonal_recall,
       avg(below_line_recall) FILTER (WHERE method = 'county_shares')              AS county_shares_recall,
       avg(below_line_recall) FILTER (WHERE method = 'naive')                      AS naive_recall,
       avg(coverage) FILTER (WHERE method = 'seasonal')                            AS seasonal_coverage
FROM projection_accuracy
GROUP BY month
ORDER BY month;
