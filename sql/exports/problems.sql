-- one row per data problem of every file still listed (not superseded by a correction):
-- the problems.csv export, in a stable order so that unchanged data gives identical bytes
SELECT f.file_name                         AS file,
       f.village_code,
       f.period,
       p.source_row                        AS "row",
       p.household_id,
       p.code,
       p.level,
       p.detail
FROM problems p
JOIN problem_files f USING (file_id)
ORDER BY f.file_name, f.file_id, p.source_row NULLS FIRST, p.code, p.household_id, p.detail;
