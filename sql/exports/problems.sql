-- one row per data problem of every file still listed (not superseded by a correction): the problems
-- found when the file was read and validated, and the history-aware ones (previous month, village
-- distribution) kept up to date for current files; in a stable order so unchanged data gives identical bytes
SELECT f.file_name                         AS file,
       f.village_code,
       f.period,
       p.source_row                        AS "row",
       p.household_id,
       p.code,
       p.level,
       p.detail
FROM (SELECT file_id, source_row, household_id, code, level, detail FROM problems
      UNION ALL
      SELECT file_id, source_row, household_id, code, level, detail FROM history_problems) p
JOIN problem_files f USING (file_id)
ORDER BY f.file_name, f.file_id, p.source_row NULLS FIRST, p.code, p.household_id, p.detail;
