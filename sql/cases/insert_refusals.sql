-- appends the refusals of one imported file (registered frame new_refusals) as one check, numbered (check_seq, in
-- the frame) after every recorded one: the importer leaves out a row whose reasons are those of its latest check in
-- that month (refusals.last_check)
INSERT INTO case_import_refusals
    (file_sha256, file_name, file_sheet, file_row, case_id, county_code, code, detail, imported_on, check_seq)
SELECT n.file_sha256, n.file_name, n.file_sheet, n.file_row, n.case_id, n.county_code, n.code, n.detail, n.imported_on,
       n.check_seq
FROM new_refusals n;
