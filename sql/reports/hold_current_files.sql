-- a temporary copy of current_files under its own name while the pages' queries run (temporary objects are found
-- first, as with marts/shadow_history's stand-ins): the view ranks every loaded file version, and seven of the
-- pages' queries read it, directly or through problem_files and households_data_missing (~65 ms CPU each on a
-- city's store; the copy costs ~95 ms once). Dropped by reports/release_current_files; the CREATE fails if a copy
-- was left, so none can be read in place of a later one.
CREATE TEMP TABLE current_files AS SELECT * FROM main.current_files;
