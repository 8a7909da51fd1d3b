-- removes the return_rows of files a rerun re-reads (registered frame reread_files); they are inserted again
DELETE FROM return_rows WHERE file_id IN (SELECT file_id FROM reread_files);
