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
), backtested AS (       -- the years each county has backtest rows of (a narrow scan): the band years are chosen
                         -- first, so that only their rows' errors are computed, however many years the store holds
    SELECT DISTINCT county_code, income_year
    FROM projection_backtest
    WHERE projected_per_capita <> 0 AND county_code IN (SELECT county_code FROM targets)
), band_years AS (
    SELECT t.county_code, t.target_year, y.income_year
    FROM targets t
    JOIN backtested y ON y.county_code = t.county_code AND y.income_year < t.target_year
    QUALIFY row_number() OVER (PARTITION BY t.county_code, t.target_year ORDER BY y.income_year DESC) <= $band_years
), errors AS (           -- the band years' rows alone, each with the target year it serves
    SELECT p.county_code, b.target_year, p.income_month, p.history_years,
           (p.actual_per_capita - p.projected_per_capita) / abs(p.projected_per_capita)
             * sqrt(p.history_years + list_extract($band_history_prior::DOUBLE[], p.income_month))
             / pow(remaining_share(p.ytd_per_capita, p.projected_per_capita, $band_remaining_min), $band_remaining_power)
               AS scaled_error
    FROM projection_backtest p
    JOIN band_years b USING (county_code, income_year)
    WHERE p.projected_per_capita <> 0
)
SELECT county_code, income_year, income_month, backtest_count,
       least(edges[1], 0) AS low_scaled_error, greatest(edges[2], 0) AS high_scaled_error,  -- the band holds the estimate
       new_backtest_count,
       CASE WHEN new_backtest_count >= $band_min_new_households THEN least(new_edges[1], 0) END AS new_low_scaled_error,
       CASE WHEN new_backtest_count >= $band_min_new_households THEN greatest(new_edges[2], 0) END AS new_high_scaled_error
FROM (
    SELECT county_code, target_year AS income_year, income_month,
           count(*) AS backtest_count,
           -- both quantiles from one sort of the errors: quantile_cont with a list of quantiles
           quantile_cont(scaled_error, [$band_low_quantile, $band_high_quantile]) AS edges,
           count(*) FILTER (WHERE history_years = 0) AS new_backtest_count,
           quantile_cont(scaled_error, [$band_low_quantile, $band_high_quantile]) FILTER (WHERE history_years = 0)
             AS new_edges
    FROM errors
    GROUP BY ALL
);
