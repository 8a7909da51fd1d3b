-- the file ids of the registered frame batch_file_ids that already have rows in return_rows (none, unless the load
-- is wrong: a file version's rows are written once, under a new file id, or again after a rerun forgot them).
-- The range lets the scan skip every row group outside the batch's ids: file ids grow with the loads.
SELECT DISTINCT file_id FROM return_rows
WHERE file_id BETWEEN $low AND $high AND file_id IN (SELECT file_id FROM batch_file_ids)
ORDER BY file_id;
