-- removes the source_files of files a rerun re-reads (registered frame reread_files); they are inserted again
DELETE FROM source_files WHERE file_id IN (SELECT file_id FROM reread_files);
