-- the refused checks of the decision rows naming a case of $case_ids in a file other than $sha (the one being
-- imported) that no event has applied since, with the cells their rows wrote, oldest first: those whose latest
-- check found only the want of a 属实 wait for one (tasks/cases/refusals.awaiting)
SELECT file_sha256, file_name, file_row, case_id, code, detail, imported_on, check_seq, written
FROM case_import_refusals r
WHERE list_contains($case_ids, case_id) AND file_sha256 <> $sha
  AND NOT EXISTS (SELECT 1 FROM case_events e
                  WHERE e.file_sha256 = r.file_sha256 AND e.file_row = r.file_row AND e.case_id = r.case_id)
ORDER BY check_seq NULLS FIRST, imported_on, rowid;
