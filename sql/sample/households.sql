-- one row per household of the sampling frame: each household's latest row in household_status up to the
-- sample month ($period) within the month's income year, $county_code (NULL = every county); a household
-- whose village missed the month's return is still there, with its previous month's data
SELECT county_code, township_code, village_code, household_id, period AS data_period, flags,
       CASE WHEN flags = '' THEN 0 ELSE length(flags) - length(replace(flags, ';', '')) + 1 END AS flag_count
FROM household_status
WHERE period <= $period AND income_year = income_year_of($period)
  AND ($county_code IS NULL OR county_code = $county_code)
QUALIFY row_number() OVER (PARTITION BY household_id ORDER BY period DESC) = 1
ORDER BY county_code, village_code, household_id;
