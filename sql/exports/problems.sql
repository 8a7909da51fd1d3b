-- one row per data problem of every file still listed (not superseded by a correction): the problems
-- found when the file was read and validated, and the history-aware ones (previous month, village
-- distribution) kept up to date for current files; then those of department files (village_code and
-- household_id empty, period the file's month); in a stable order so unchanged data gives identical bytes
SELECT * EXCLUDE (file_id, kind)
FROM (SELECT f.file_name AS file, f.village_code, f.period, p.source_row AS "row", p.household_id, p.code,
             p.level, p.detail, f.file_id, 0 AS kind
      FROM (SELECT file_id, source_row, household_id, code, level, detail FROM problems
            UNION ALL
            SELECT file_id, source_row, household_id, code, level, detail FROM history_problems) p
      JOIN problem_files f USING (file_id)
      UNION ALL
      SELECT f.file_name, NULL, f.period, p.source_row, NULL, p.code, p.level, p.detail, f.file_id, 1 AS kind
      FROM department_problems p
      JOIN department_problem_files f USING (file_id))
ORDER BY file, kind, file_id, "row" NULLS FIRST, code, household_id, detail;
