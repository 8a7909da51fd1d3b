-- one row per usable record (not quarantined) of the current version of each department file of the months
-- $first_period..$as_of, in the order they were sent: a workbook's sheets in the workbook's order
SELECT r.file_id, r.source_row, r.department, r.period, r.id_number, r.name, r.event, r.event_date, r.amount,
       r.grade, r.note, r.sheet, r.sheet_position
FROM department_rows r
JOIN current_department_files c USING (file_id)
WHERE NOT r.is_quarantined AND r.period BETWEEN $first_period AND $as_of
ORDER BY r.period, r.file_id, r.sheet_position NULLS FIRST, r.sheet NULLS FIRST, r.source_row;
