-- empties mart_unit_files before marts/unit_files fills it
DELETE FROM mart_unit_files;
