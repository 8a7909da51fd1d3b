-- the names of department files refused as FILE_UNREADABLE for an [ingest] read limit (their reason names the
-- setting): read again once the limits changed, as a store rebuilt with the new ones would read them
SELECT DISTINCT f.file_name
FROM department_files f
JOIN department_problems p ON p.file_id = f.file_id AND p.code = 'FILE_UNREADABLE' AND p.source_row IS NULL
WHERE f.status = 'rejected' AND contains(p.detail, '设置 ingest.')
ORDER BY f.file_name;
