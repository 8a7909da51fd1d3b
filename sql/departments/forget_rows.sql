-- removes the department_rows of department files a rerun re-reads (registered frame reread_files); inserted again
DELETE FROM department_rows WHERE file_id IN (SELECT file_id FROM reread_files);
