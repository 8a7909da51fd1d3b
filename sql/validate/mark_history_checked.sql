-- records, per loaded file, the run whose history checks covered it (so none is left pending)
UPDATE source_files SET history_run_id = $run_id
WHERE status = 'loaded' AND history_run_id IS NULL;
