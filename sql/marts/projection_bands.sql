-- one row per county × target income year × month 1–12: how far the year-end actual fell from the seasonal
-- projection at that month in the county's backtested years before the target year, as relative errors at
-- the lower and upper quantiles ($band_low_quantile, $band_high_quantile); projected_low/high apply them.
-- Month 12 is the actual: no band. A county with no backtest yet gets no row (the settings' default applies).
CREATE OR REPLACE TEMP TABLE projection_bands AS
WITH targets AS (
    SELECT DISTINCT county_code, income_year AS target_year FROM household_months
), errors AS (
    SELECT county_code, income_year, income_month,
           (actual_per_capita - projected_per_capita) / abs(projected_per_capita) AS relative_error
    FROM projection_backtest
    WHERE projected_per_capita <> 0
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
