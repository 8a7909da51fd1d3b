-- one row per backtested income year × month 1–11 × method ('seasonal', 'naive'): the median absolute
-- percentage error of the projected per-capita net income against the year-end actual, and the precision
-- and recall of BELOW_LINE at that month against the year-end truth (povmon backtest, interface.md).
INSERT INTO projection_accuracy
WITH by_method AS (
    SELECT b.income_year, b.income_month AS month, m.method,
           CASE m.method WHEN 'seasonal' THEN b.projected_per_capita ELSE b.naive_per_capita END AS projected,
           b.actual_per_capita AS actual,
           b.line
    FROM projection_backtest b
    CROSS JOIN (VALUES ('seasonal'), ('naive')) AS m(method)
)
SELECT income_year,
       month,
       method,
       median(abs(projected - actual) / abs(actual)) FILTER (WHERE actual <> 0)           AS median_abs_pct_error,
       count(*) FILTER (WHERE projected < line AND actual < line)
         / nullif(count(*) FILTER (WHERE projected < line), 0)                            AS below_line_precision,
       count(*) FILTER (WHERE projected < line AND actual < line)
         / nullif(count(*) FILTER (WHERE actual < line), 0)                               AS below_line_recall
FROM by_method
GROUP BY income_year, month, method
ORDER BY income_year, month, method DESC;
