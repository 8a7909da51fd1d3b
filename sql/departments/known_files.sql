-- one row per known department file (hash × name) with its id and the run that first ingested it
SELECT sha256, file_name, file_id, ingest_run_id, ingested_at FROM department_files;
