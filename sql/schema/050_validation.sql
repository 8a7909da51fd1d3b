-- validation_results: one row per run × suite × expectation: how many rows it checked and how many
-- failed, so reports can show data quality over time (suites in expectations/, codes of policy.md).
CREATE TABLE IF NOT EXISTS validation_results (
    run_id       INTEGER NOT NULL,
    suite        TEXT NOT NULL,             -- expectations/<suite>.json
    expectation  TEXT NOT NULL,             -- type(columns), e.g. expect_column_values_to_be_in_set(household_type)
    code         TEXT NOT NULL,             -- the problem code its meta names
    level        TEXT NOT NULL,             -- 'error' or 'warning'
    rows_checked BIGINT NOT NULL,           -- rows it looked at (rows it skips as empty excluded)
    rows_failed  BIGINT NOT NULL
);

-- history_problems: one row per row × code of the history-aware checks (ROW_YTD_DECREASE, ROW_OUTLIER)
-- of a current file. Rebuilt for every file a run touches (its own files, and the next month's file of
-- a village whose previous month arrived or was corrected), so a correction updates them.
CREATE TABLE IF NOT EXISTS history_problems (
    file_id      INTEGER NOT NULL,
    source_row   INTEGER NOT NULL,
    household_id TEXT,
    code         TEXT NOT NULL,
    level        TEXT NOT NULL,             -- always 'warning': the row is used
    detail       TEXT NOT NULL,
    run_id       INTEGER NOT NULL
);

-- history_settings: one row: the settings the stored history checks were made with (a digest of the thresholds they
-- judge with); a run with others checks every current file again (tasks/validate/history.py)
CREATE TABLE IF NOT EXISTS history_settings (
    id           INTEGER PRIMARY KEY,       -- always 1
    settings_key TEXT NOT NULL
);

-- read_limits_applied: one row: the [ingest] read limits the stored files were read under (a digest); a nightly run
-- with others reads again the returns refused for a limit (tasks/ingest/limit_changes.py)
CREATE TABLE IF NOT EXISTS read_limits_applied (
    id         INTEGER PRIMARY KEY,         -- always 1
    limits_key TEXT NOT NULL
);
