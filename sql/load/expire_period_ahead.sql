-- removes the FILE_PERIOD_AHEAD warnings of files whose month has come ($run_month, YYYYMM, at or after it): the
-- warning says "not taken as the as-of month before its month", true only until then; a store rebuilt now would
-- read those files without it
DELETE FROM problems
WHERE code = 'FILE_PERIOD_AHEAD'
  AND file_id IN (SELECT file_id FROM source_files WHERE period <= $run_month);
