-- removes the department_files of department files a rerun re-reads (registered frame reread_files); inserted again
DELETE FROM department_files WHERE file_id IN (SELECT file_id FROM reread_files);
