-- one row per department finding of the as-of month in the city's counties (外地 records are counted on the
-- city page only); the person's ID masked; in a stable order so unchanged data gives identical bytes
SELECT county_code, township_code, village_code, household_id, mask_id(id_number) AS person_id_masked,
       department, event, strftime(event_date, '%Y-%m-%d') AS event_date, period, finding, detail
FROM department_findings
WHERE NOT is_outside
ORDER BY county_code, village_code NULLS LAST, household_id NULLS LAST, department, event, event_date,
         person_id_masked, finding;
