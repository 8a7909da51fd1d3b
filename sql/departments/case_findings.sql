-- one row per CLUE, MISMATCH or ASSET finding of the as-of month: what a case of the ledger (DEPT_<EVENT>) opens on
SELECT household_id, county_code, left(village_code, 9) AS township_code, village_code, id_number, department, event, event_date, period, amount,
       finding, detail, file_id, source_row
FROM department_findings
WHERE finding IN ('CLUE', 'MISMATCH', 'ASSET')
ORDER BY household_id, event, event_date, id_number;
