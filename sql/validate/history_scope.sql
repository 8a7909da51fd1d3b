-- one row per current file the history checks must (re)examine after a load of the files $batch_file_ids
-- (new or re-read) or of files still pending (a run killed between its load and its history checks):
-- the current files of every village × period they loaded, and of the month after each (whose
-- "previous month" may have changed)
SELECT DISTINCT c.file_id
FROM current_files c
JOIN source_files b
  ON b.village_code = c.village_code
 AND (list_contains($batch_file_ids, b.file_id) OR b.history_run_id IS NULL)
 AND b.status = 'loaded'
 AND (b.period = c.period
      OR b.period = months_before(c.period, 1))
ORDER BY c.file_id;
