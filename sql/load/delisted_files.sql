-- the names of loaded returns whose village the reference list the run stored no longer holds: read again, as a
-- store rebuilt with this list would read them (FILE_UNKNOWN_VILLAGE: a village taken off the list is named, its
-- households no longer counted in a county it is no longer part of)
SELECT DISTINCT f.file_name
FROM source_files f
ANTI JOIN admin_units u ON u.code = f.village_code AND u.level = 'village'
WHERE f.status = 'loaded' AND f.village_code IS NOT NULL
ORDER BY f.file_name;
