-- one row per village with households in the sampling frame (sample/households.sql, same $period and
-- $county_code): its households and flagged households, and the signals that weigh its draw —
-- THRESHOLD_BUNCHING / IDENTICAL_ROWS in any month of the income year up to $period, MISSING_RETURN in $period
WITH frame AS (
    SELECT county_code, township_code, village_code, household_id, flags
    FROM household_status
    WHERE period <= $period AND income_year = income_year_of($period)
      AND ($county_code IS NULL OR county_code = $county_code)
    QUALIFY row_number() OVER (PARTITION BY household_id ORDER BY period DESC) = 1
), signals AS (
    SELECT village_code,
           bool_or(code = 'THRESHOLD_BUNCHING')                  AS has_bunching,
           bool_or(code = 'IDENTICAL_ROWS')                      AS has_identical_rows,
           bool_or(code = 'MISSING_RETURN' AND period = $period) AS has_missing_return
    FROM village_signals
    WHERE period <= $period AND income_year_of(period) = income_year_of($period)
    GROUP BY village_code
)
SELECT f.county_code, f.township_code, f.village_code,
       coalesce(c.management_area, false)             AS is_management_area,
       count(*)                                       AS households_count,
       count(*) FILTER (WHERE f.flags <> '')          AS flagged_count,
       coalesce(any_value(s.has_bunching), false)       AS has_bunching,
       coalesce(any_value(s.has_identical_rows), false) AS has_identical_rows,
       coalesce(any_value(s.has_missing_return), false) AS has_missing_return
FROM frame f
LEFT JOIN signals s ON s.village_code = f.village_code
LEFT JOIN admin_units c ON c.code = f.county_code AND c.level = 'county'
GROUP BY f.county_code, f.township_code, f.village_code, c.management_area
ORDER BY f.county_code, f.village_code;
