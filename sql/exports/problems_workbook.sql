-- one row per data problem of every file still listed (not superseded by a correction): the problems found when
-- the file was read and validated, and the history-aware ones (previous month, village distribution) kept up to
-- date for current files; then those of department files (their place columns empty, period the file's month), and
-- those of the member roster reference/members.csv (file members.csv, no period, the village of the row's household
-- when the list of units knows it); in
-- a stable order so unchanged data gives identical bytes. problems.xlsx shows them with the county, township and
-- village names beside the village code (and the county); problems.csv without the names and the county (left to
-- the code's first 6 digits). ID numbers inside the detail are masked as every export masks them (safe_text)
SELECT * EXCLUDE (file_id, kind)
FROM (SELECT f.file_name                         AS file,
             left(f.village_code, 6)             AS county_code,
             c.name                              AS county_name,
             t.name                              AS township_name,
             f.village_code,
             v.name                              AS village_name,
             f.period,
             p.source_row                        AS "row",
             p.household_id,
             p.code,
             p.level,
             p.detail,
             f.file_id,
             0                                   AS kind
      FROM (SELECT file_id, source_row, household_id, code, level, detail FROM problems
            UNION ALL
            SELECT file_id, source_row, household_id, code, level, detail FROM history_problems) p
      JOIN problem_files f USING (file_id)
      LEFT JOIN admin_units v ON v.code = f.village_code AND v.level = 'village'
      LEFT JOIN admin_units t ON t.code = v.parent_code
      LEFT JOIN admin_units c ON c.code = t.parent_code
      UNION ALL
      SELECT f.file_name, NULL, NULL, NULL, NULL, NULL, f.period, p.source_row, NULL, p.code, p.level, p.detail,
             f.file_id, 1 AS kind
      FROM department_problems p
      JOIN department_problem_files f USING (file_id)
      UNION ALL
      SELECT 'members.csv', left(v.code, 6), c.name, t.name, v.code, v.name, NULL, p.source_row, p.household_id, p.code,
             p.level, p.detail, 0, 2 AS kind
      FROM roster_problems p
      LEFT JOIN admin_units v ON v.code = left(p.household_id, 12) AND v.level = 'village'
      LEFT JOIN admin_units t ON t.code = v.parent_code
      LEFT JOIN admin_units c ON c.code = t.parent_code)
ORDER BY file, kind, file_id, "row" NULLS FIRST, code, household_id, detail;
