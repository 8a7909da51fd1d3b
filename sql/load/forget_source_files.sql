-- removes the source_files of files a rerun re-reads (registered frame reread_files); they are inserted again. Their
-- village × months are named in current_files_stale first (load/refresh_current_files).
INSERT INTO current_files_stale
SELECT DISTINCT village_code, period FROM source_files WHERE file_id IN (SELECT file_id FROM reread_files);
DELETE FROM source_files WHERE file_id IN (SELECT file_id FROM reread_files);
