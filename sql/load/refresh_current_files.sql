-- the current version of each village × month of current_files_stale computed again (sql/schema/090_views.sql),
-- its files' stamps named stale too (sql/schema/093_unit_stamps.sql), then the stale list emptied
INSERT INTO unit_stamps_stale SELECT village_code, period FROM current_files_stale;
DELETE FROM current_file_versions c USING current_files_stale s
WHERE c.village_code IS NOT DISTINCT FROM s.village_code AND c.period IS NOT DISTINCT FROM s.period;
INSERT INTO current_file_versions SELECT * FROM stale_current_versions;
DELETE FROM current_files_stale;
