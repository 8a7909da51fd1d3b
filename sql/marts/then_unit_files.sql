-- the files one county's backtest months read as they stood then, into mart_unit_files (emptied first by
-- marts/forget_unit_files): its earlier years' (before $income_year) current versions with registered frame
-- history_then_files applied (village, period, then_file_id, current_file_id: marts/history_then), and its
-- months of $income_year as run (as_run_files), but for its October where history_then_files has it as it stood.
INSERT INTO mart_unit_files
SELECT c.file_id
FROM current_files c
WHERE left(c.village_code, 6) = $county_code AND income_year_of(c.period) < $income_year
  AND c.file_id NOT IN (SELECT current_file_id FROM history_then_files WHERE current_file_id IS NOT NULL)
UNION ALL
SELECT then_file_id FROM history_then_files WHERE then_file_id IS NOT NULL
UNION ALL
SELECT a.file_id
FROM as_run_files a
WHERE left(a.village_code, 6) = $county_code AND income_year_of(a.period) = $income_year
  AND (a.village_code, a.period) NOT IN (SELECT village_code, period FROM history_then_files);
