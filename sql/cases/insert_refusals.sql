-- appends the refusals of one imported file (registered frame new_refusals), except those already recorded: a
-- row checked again on another day (a refusal of decisions.rechecked) records that day's reasons, when they are not
-- those of its latest check (the importer leaves those out: importer.last_check)
INSERT INTO case_import_refusals
SELECT n.file_sha256, n.file_name, n.file_row, n.case_id, n.county_code, n.code, n.detail, n.imported_on
FROM new_refusals n
WHERE NOT EXISTS (SELECT 1 FROM case_import_refusals r
                  WHERE r.file_sha256 = n.file_sha256 AND r.file_row = n.file_row AND r.code = n.code
                    AND r.detail = n.detail AND r.imported_on = n.imported_on);
