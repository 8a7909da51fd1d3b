-- one row: the next free department file id
SELECT coalesce(max(file_id), 0) + 1 FROM department_files;
