-- the names of the known returns of a village or county ($prefix: its code; NULL for none) and, when $departments,
-- of every known department file: those a rerun's scope may cover (Scope narrows them to its own, by name)
SELECT DISTINCT file_name FROM source_files WHERE starts_with(village_code, $prefix)
UNION
SELECT DISTINCT file_name FROM department_files WHERE $departments
ORDER BY file_name;
