-- every known version (first path, hash, name) of the returns and department files named in the registered frame
-- reread_names (file_name: those a run reads again), so those no longer in the inbox are read from the raw store;
-- not a path refused unread (its stand-in hash 'refused-…': no bytes were kept, the inbox's copy is listed anew)
SELECT DISTINCT first_path, sha256, file_name FROM source_files
WHERE file_name IN (SELECT file_name FROM reread_names) AND NOT starts_with(sha256, 'refused-')
UNION
SELECT DISTINCT first_path, sha256, file_name FROM department_files
WHERE file_name IN (SELECT file_name FROM reread_names) AND NOT starts_with(sha256, 'refused-')
ORDER BY file_name, sha256, first_path;
