-- removes the file_report_dates of files a rerun re-reads (registered frame reread_files)
DELETE FROM file_report_dates WHERE file_id IN (SELECT file_id FROM reread_files);
