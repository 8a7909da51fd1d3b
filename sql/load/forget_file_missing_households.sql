-- removes the file_missing_households of files a rerun re-reads (registered frame reread_files)
DELETE FROM file_missing_households WHERE file_id IN (SELECT file_id FROM reread_files);
