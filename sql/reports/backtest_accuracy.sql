-- one row per month of the income year: the backtest of the projection, averaged over the income years measured
SELECT month,
       count(DISTINCT income_year)                                                 AS income_years_count,
       avg(median_abs_pct_error) FILTER (WHERE method = 'seasonal')                AS seasonal_error,
       avg(median_abs_pct_error) FILTER (WHERE method = 'naive')                   AS naive_error,
       avg(below_line_precision) FILTER (WHERE method = 'seasonal')                AS seasonal_precision,
       avg(below_line_recall) FILTER (WHERE method = 'seasonal')                   AS seasonal_recall,
       avg(below_line_precision) FILTER (WHERE method = 'naive')                   AS naive_precision,
       avg(below_line_recall) FILTER (WHERE method = 'naive')                      AS naive_recall
FROM projection_accuracy
GROUP BY month
ORDER BY month;
