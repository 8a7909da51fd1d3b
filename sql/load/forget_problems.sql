-- removes the problems of files a rerun re-reads (registered frame reread_files); they are inserted again
DELETE FROM problems WHERE file_id IN (SELECT file_id FROM reread_files);
