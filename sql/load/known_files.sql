-- one row per known file (hash × name) whose hash is among the registered frame listed_hashes (sha256: those of the
-- files a run may read) with its id and the run that first ingested it; of status $status only, when given
SELECT sha256, file_name, file_id, ingest_run_id, ingested_at FROM source_files
WHERE sha256 IN (SELECT sha256 FROM listed_hashes) AND ($status IS NULL OR status = $status);
