-- one row per county × target income year × month 1–11, for the county × target year units of registered
-- frame mart_units (county_code, unit = income year): how far the year-end actual fell from the seasonal
-- projection at that month in the county's latest $band_years backtested years before the target year, as
-- scaled errors at the lower and upper quantiles ($band_low_quantile, $band_high_quantile). A scaled error is
-- the relative error × √(the household's history years + the month's prior, $band_history_prior by month 1–11): a
-- calendar learned from more years errs less (the errors of a k-year history spread about 1/√(k + prior) as wide),
-- so the band learned from a year when households had less history fits a year when they have more; the prior is
-- larger early in the year, where most of the error is the year's level, which more years of calendar do not
-- narrow, than late, where it is the calendar's last months. And it is ÷ (the share of the projection still to
-- come, remaining_share, at least $band_remaining_min) ^ $band_remaining_power: the error is in what is still to
-- come, so at month 11 a household whose December 低保 or dividend is still to come errs more than one with a
-- month's wage to come. band_edge applies them.
-- New households (no calendar of their own: history years 0) err far more than that scaling says (their village's
-- calendar, no last year to blend with), so where the band years hold at least $band_min_new_households of them at
-- that month, their own quantiles are kept beside (new_*; band_scaled_error picks them for a new household).
-- Month 12 is the actual: no band. A county with no backtest yet gets no row (the settings' default band).
INSERT INTO projection_bands
WITH targets AS (
    SELECT county_code, CAST(unit AS INTEGER) AS target_year FROM mart_units
), errors AS (
    SELECT county_code, income_year, income_month, history_years,
           (actual_per_capita - projected_per_capita) / abs(projected_per_capita)
             * sqrt(history_years + list_extract($band_history_prior::DOUBLE[], income_month))
             / pow(remaining_share(ytd_per_capita, projected_per_capita, $band_remaining_min), $band_remaining_power)
               AS scaled_error
    FROM projection_backtest
    WHERE projected_per_capita <> 0 AND county_code IN (SELECT county_code FROM targets)
), band_years AS (
    SELECT t.county_code, t.target_year, y.income_year
    FROM targets t
    JOIN (SELECT DISTINCT county_code, income_year FROM errors) y
      ON y.county_code = t.county_code AND y.income_year < t.target_year
    QUALIFY row_number() OVER (PARTITION BY t.county_code, t.target_year ORDER BY y.income_year DESC) <= $band_years
)
SELECT b.county_code,
       b.target_year AS income_year,
       e.income_month,
       count(*) AS backtest_count,
       least(quantile_cont(e.scaled_error, $band_low_quantile), 0)     AS low_scaled_error,  -- the band
       greatest(quantile_cont(e.scaled_error, $band_high_quantile), 0) AS high_scaled_error, -- holds the estimate
       count(*) FILTER (WHERE e.history_years = 0) AS new_backtest_count,
       CASE WHEN new_backtest_count >= $band_min_new_households
            THEN least(quantile_cont(e.scaled_error, $band_low_quantile) FILTER (WHERE e.history_years = 0), 0)
       END AS new_low_scaled_error,
       CASE WHEN new_backtest_count >= $band_min_new_households
            THEN greatest(quantile_cont(e.scaled_error, $band_high_quantile) FILTER (WHERE e.history_years = 0), 0)
       END AS new_high_scaled_error
FROM band_years b
JOIN errors e USING (county_code, income_year)
GROUP BY ALL;
