-- removes the FILE_PERIOD_AHEAD warnings of department files whose month has come ($run_month, YYYYMM, at or after
-- it), as load/expire_period_ahead does a return's: the warning says "not judged before its month"
DELETE FROM department_problems
WHERE code = 'FILE_PERIOD_AHEAD'
  AND file_id IN (SELECT file_id FROM department_files WHERE period <= $run_month);
