-- one row per county × month of income year $income_year with a learned band (projection_bands): its households'
-- bands read no year-over-year spread, so no other village's return of the month moves them.
SELECT county_code, income_month
FROM projection_bands
WHERE income_year = $income_year;
