-- one row per file-level problem of a file still listed that no county page can show: an unusable name, or a
-- village code not in the reference list (the city page lists them, so such a file is not seen only in
-- problems.csv); the first 1000, newest first
SELECT f.file_name,
       f.first_path,
       p.code,
       p.detail,
       f.ingested_at
FROM problem_files f
JOIN problems p USING (file_id)
LEFT JOIN admin_units v ON v.code = f.village_code AND v.level = 'village'
WHERE p.source_row IS NULL AND v.code IS NULL
ORDER BY f.ingested_at DESC, f.file_name, f.file_id, p.code
LIMIT 1000;
