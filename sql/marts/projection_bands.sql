-- one row per county × target income year × month 1–12, for the county × target year units of registered
-- frame mart_units (county_code, unit = income year): how far the year-end actual fell from the seasonal
-- projection at that month in the county's backtested years before the target year, as relative errors at
-- the lower and upper quantiles ($band_low_quantile, $band_high_quantile); projected_low/high apply them.
-- Month 12 is the actual: no band. A county with no backtest yet gets no row (the settings' default applies).
INSERT INTO projection_bands
WITH targets AS (
    SELECT county_code, CAST(unit AS INTEGER) AS target_year FROM mart_units
), errors AS (
    SELECT county_code, income_year, income_month,
           (actual_per_capita - projected_per_capita) / abs(projected_per_capita) AS relative_error
    FROM projection_backtest
    WHERE projected_per_capita <> 0 AND county_code IN (SELECT county_code FROM targets)
)
SELECT t.county_code,
       t.target_year AS income_year,
       e.income_month,
       count(*) AS backtest_count,
       quantile_cont(e.relative_error, $band_low_quantile)  AS low_relative_error,
       quantile_cont(e.relative_error, $band_high_quantile) AS high_relative_error
FROM targets t
JOIN errors e ON e.county_code = t.county_code AND e.income_year < t.target_year
GROUP BY ALL;
