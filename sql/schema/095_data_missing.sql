-- file_missing_households: one row per household of a loaded file whose every row in that file is quarantined;
-- a row without a usable household_id counts as a household of its own. Written when the file is loaded
-- (sql/load/insert_file_missing_households.sql) and forgotten with its rows when it is re-read: the rows and their
-- error-level problems never change otherwise, so the report reads a few thousand rows, not every return row.
CREATE TABLE IF NOT EXISTS file_missing_households (
    file_id      INTEGER NOT NULL,
    household_id TEXT,                   -- NULL: a row without a usable household_id
    source_rows  INTEGER[] NOT NULL,     -- its rows in the file, ascending
    reason_codes TEXT NOT NULL           -- the distinct codes of its rows' errors, sorted, ';'-joined
);

-- missing_households_of: file_missing_households' rows of the files in a table (or registered frame) of return rows
-- and one of their problems, by name: the load's batch, or the store's rows when a store made before the table
-- fills it (sql/schema/backfill/)
CREATE OR REPLACE MACRO missing_households_of(rows_table, problems_table) AS TABLE
WITH quarantined AS (
    SELECT file_id, source_row, household_id FROM query_table(rows_table) WHERE is_quarantined
)
SELECT r.file_id,
       r.household_id,
       list(DISTINCT r.source_row ORDER BY r.source_row)            AS source_rows,
       array_to_string(list_sort(list_distinct(list(p.code))), ';') AS reason_codes
FROM quarantined r
JOIN query_table(problems_table) p ON p.file_id = r.file_id AND p.source_row = r.source_row AND p.level = 'error'
WHERE NOT EXISTS (SELECT 1 FROM query_table(rows_table) u
                  WHERE u.file_id = r.file_id AND u.household_id = r.household_id AND NOT u.is_quarantined)
GROUP BY r.file_id, r.household_id, CASE WHEN r.household_id IS NULL THEN r.source_row END;

-- households_data_missing: one row per household × period whose every row in the current file of its
-- village × period is quarantined ("data missing" on the reports). A row without a usable household_id
-- counts as a household of its own. It follows corrections: once a newer version of that village × period
-- brings a good row for the household, the household leaves the list (and a corrected file that still has the
-- error keeps it listed). A later month does not clear an earlier one.
CREATE OR REPLACE VIEW households_data_missing AS
SELECT left(c.village_code, 6) AS county_code,
       c.village_code,
       m.household_id,
       c.period,
       c.file_id,
       c.file_name,
       m.source_rows,
       m.reason_codes
FROM file_missing_households m
JOIN current_files c USING (file_id);
