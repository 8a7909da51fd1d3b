-- closes one run with its outcome and counts
UPDATE runs SET finished_at = now()::TIMESTAMP, status = $status, as_of_period = $as_of,
    files_seen = $files_seen, files_new = $files_new, files_loaded = $files_loaded,
    files_rejected = $files_rejected, message = $message
WHERE run_id = $run_id;
