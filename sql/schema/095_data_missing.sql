-- households_data_missing: one row per household × period whose every row in the current file of its
-- village × period is quarantined ("data missing" on the reports). A row without a usable household_id
-- counts as a household of its own. It is a view over current_files, so it follows corrections: once a
-- newer version of that village × period brings a good row for the household, the household leaves the
-- list (and a corrected file that still has the error keeps it listed). A later month does not clear an
-- earlier one.
CREATE OR REPLACE VIEW households_data_missing AS
SELECT left(c.village_code, 6)                                 AS county_code,
       c.village_code,
       r.household_id,
       c.period,
       c.file_id,
       c.file_name,
       list(DISTINCT r.source_row ORDER BY r.source_row)       AS source_rows,
       array_to_string(list_sort(list_distinct(list(p.code))), ';') AS reason_codes
FROM return_rows r
JOIN current_files c USING (file_id)
JOIN problems p ON p.file_id = r.file_id AND p.source_row = r.source_row AND p.level = 'error'
WHERE r.is_quarantined
  AND NOT EXISTS (SELECT 1 FROM return_rows u
                  WHERE u.file_id = r.file_id AND u.household_id = r.household_id AND NOT u.is_quarantined)
GROUP BY c.village_code, r.household_id, c.period, c.file_id, c.file_name,
         CASE WHEN r.household_id IS NULL THEN r.source_row END;
