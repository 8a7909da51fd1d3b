-- one row per case of the income year $income_year and every earlier one still open: exports/cases.csv
-- (cases.md), overdue_days as of the today the table was derived with, in a stable order so the same ledger gives the same bytes
SELECT case_id, county_code, township_code, village_code, household_id, kind, opened_period,
       strftime(opened_on, '%Y-%m-%d')                     AS opened_on,
       strftime(deadline, '%Y-%m-%d')                      AS deadline,
       status, conclusion, measures,
       strftime(closed_on, '%Y-%m-%d')                     AS closed_on,
       overdue_days,
       previous_case_id, subject_period
FROM cases
WHERE income_year_of(opened_period) = $income_year OR status IN ('open', 'confirmed', 'assisting')
ORDER BY county_code, township_code, village_code, coalesce(household_id, ''), kind, opened_period, case_id;
