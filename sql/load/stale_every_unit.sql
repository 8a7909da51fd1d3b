-- names in current_files_stale every village × month on record: those with a file and those with a current version
INSERT INTO current_files_stale
SELECT village_code, period FROM source_files
UNION
SELECT village_code, period FROM current_file_versions;
