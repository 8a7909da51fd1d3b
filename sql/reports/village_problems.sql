-- one row per data problem of a file for $period still listed (not superseded) from a village of each county
-- of $county_codes, at most $row_limit a county (the first in the page's order): the list a clerk corrects, with
-- the history-aware warnings (ROW_YTD_DECREASE, ROW_OUTLIER) as problems.csv lists them;
-- ID-shaped text is masked where the page shows it (tasks.report.pages.shown)
SELECT left(f.village_code, 6)                       AS county_code,
       f.village_code,
       coalesce(v.name, f.village_code)              AS village_name,
       f.file_name,
       p.source_row,
       p.household_id,
       p.code,
       p.level,
       p.detail,
       row_number() OVER (PARTITION BY left(f.village_code, 6)
                          ORDER BY f.village_code, f.file_name, f.file_id, p.source_row NULLS FIRST, p.code,
                                   p.household_id) AS place
FROM (SELECT file_id, source_row, household_id, code, level, detail FROM problems
      UNION ALL
      SELECT file_id, source_row, household_id, code, level, detail FROM history_problems) p
JOIN problem_files f USING (file_id)
LEFT JOIN admin_units v ON v.code = f.village_code
WHERE list_contains($county_codes, left(f.village_code, 6)) AND f.period = $period
QUALIFY place <= $row_limit
ORDER BY county_code, place;
