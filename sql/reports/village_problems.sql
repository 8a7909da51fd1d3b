-- one row per data problem of a file for $period still listed (not superseded) from a village of county
-- $county_code: the list a clerk corrects; long digit runs in the detail (ID numbers) are masked
SELECT f.village_code,
       coalesce(v.name, f.village_code)              AS village_name,
       f.file_name,
       p.source_row,
       p.household_id,
       p.code,
       p.level,
       regexp_replace(p.detail, '([0-9]{6})[0-9]{5,8}([0-9]{3}[0-9Xx])', '\1********\2', 'g') AS detail
FROM problems p
JOIN problem_files f USING (file_id)
LEFT JOIN admin_units v ON v.code = f.village_code
WHERE left(f.village_code, 6) = $county_code AND f.period = $period
ORDER BY f.village_code, f.file_name, f.file_id, p.source_row NULLS FIRST, p.code, p.household_id
LIMIT $row_limit;
