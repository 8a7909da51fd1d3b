-- one row per backtested income year × month 1–11 × method ('seasonal', 'county_shares', 'naive'): the median
-- absolute percentage error of the projected per-capita net income against the year-end actual, the precision
-- and recall of BELOW_LINE at that month against the year-end truth, and (seasonal only) the coverage: the
-- share of year-end actuals inside the 10–90 % band the pipeline would have shown then (backtest_bands of
-- that year, learned from earlier years' backtests, scaled to each household's history ($band_history_prior) and
-- to its share still to come ($band_remaining_min, $band_remaining_power); where there were none, the first
-- year's default (default_scaled_error): $band_default_spread_low and $band_default_spread_high × the county's
-- year-over-year spread at that month as it was run (backtest_spreads), else $band_default_low and
-- $band_default_high) (povmon backtest, interface.md).
INSERT INTO projection_accuracy
WITH banded AS (
    SELECT b.*,
           band_edge(b.projected_per_capita,
                     band_scaled_error(p.low_scaled_error, p.new_low_scaled_error, b.history_years),
                     b.history_years, $band_history_prior::DOUBLE[],
                     default_scaled_error($band_default_spread_low::DOUBLE[], s.spread,
                                          $band_default_low::DOUBLE[], b.income_month), b.income_month,
                     remaining_share(b.ytd_per_capita, b.projected_per_capita, $band_remaining_min),
                     $band_remaining_power) AS projected_low,
           band_edge(b.projected_per_capita,
                     band_scaled_error(p.high_scaled_error, p.new_high_scaled_error, b.history_years),
                     b.history_years, $band_history_prior::DOUBLE[],
                     default_scaled_error($band_default_spread_high::DOUBLE[], s.spread,
                                          $band_default_high::DOUBLE[], b.income_month), b.income_month,
                     remaining_share(b.ytd_per_capita, b.projected_per_capita, $band_remaining_min),
                     $band_remaining_power) AS projected_high
    FROM projection_backtest b
    LEFT JOIN backtest_bands p USING (county_code, income_year, income_month)
    LEFT JOIN backtest_spreads s USING (county_code, income_year, income_month)
), by_method AS (
    SELECT b.income_year, b.income_month AS month, m.method,
           CASE m.method WHEN 'seasonal' THEN b.projected_per_capita
                         WHEN 'county_shares' THEN b.county_per_capita
                         ELSE b.naive_per_capita END AS projected,
           CASE WHEN m.method = 'seasonal'
                THEN b.actual_per_capita BETWEEN b.projected_low AND b.projected_high END AS is_covered,
           b.actual_per_capita AS actual,
           b.line
    FROM banded b
    CROSS JOIN (VALUES ('seasonal'), ('county_shares'), ('naive')) AS m(method)
)
SELECT income_year,
       month,
       method,
       median(abs(projected - actual) / abs(actual)) FILTER (WHERE actual <> 0)           AS median_abs_pct_error,
       count(*) FILTER (WHERE projected < line AND actual < line)
         / nullif(count(*) FILTER (WHERE projected < line), 0)                            AS below_line_precision,
       count(*) FILTER (WHERE projected < line AND actual < line)
         / nullif(count(*) FILTER (WHERE actual < line), 0)                               AS below_line_recall,
       avg(is_covered::INTEGER)                                                           AS coverage
FROM by_method
GROUP BY income_year, month, method
ORDER BY income_year, month, method DESC;
