-- the names of files refused as FILE_UNKNOWN_VILLAGE whose village the reference list the run stored now holds: read
-- again, as a store rebuilt with this list would read them (a village listed a night after its first return)
SELECT DISTINCT f.file_name
FROM source_files f
JOIN problems p ON p.file_id = f.file_id AND p.code = 'FILE_UNKNOWN_VILLAGE'
JOIN admin_units u ON u.code = f.village_code AND u.level = 'village'
WHERE f.status = 'rejected'
ORDER BY f.file_name;
