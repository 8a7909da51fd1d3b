-- the file names delivered by the runs since the last completed one, the running one included: a run killed or
-- failed after its batches committed never rendered their counties' pages, so the rerun that follows renders them
SELECT file_name
FROM deliveries
WHERE run_id > (SELECT coalesce(max(run_id), 0) FROM runs WHERE status = 'completed');
