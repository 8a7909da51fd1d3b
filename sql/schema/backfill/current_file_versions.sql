-- fills current_file_versions (sql/schema/090_views.sql) with every village × month's current version, in the
-- transaction that creates it in a store made before it
INSERT INTO current_files_stale SELECT DISTINCT village_code, period FROM source_files;
INSERT INTO current_file_versions SELECT * FROM stale_current_versions;
DELETE FROM current_files_stale;
