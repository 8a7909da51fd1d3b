-- the department file ids of the registered frame batch_file_ids that already have rows in department_rows (none,
-- unless the load is wrong: as load/files_with_stored_rows for return rows)
SELECT DISTINCT file_id FROM department_rows
WHERE file_id BETWEEN $low AND $high AND file_id IN (SELECT file_id FROM batch_file_ids)
ORDER BY file_id;
