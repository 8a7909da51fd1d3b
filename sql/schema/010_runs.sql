-- runs: one row per pipeline run (nightly or rerun), with its scope and outcome.
CREATE TABLE IF NOT EXISTS runs (
    run_id        INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,            -- 'run' or 'rerun'
    scope         TEXT,                     -- e.g. 'county=430521' for a rerun, NULL for a nightly run
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    status        TEXT NOT NULL,            -- 'running', 'completed', 'failed', 'interrupted' (Ctrl-C, or killed)
    as_of_period  TEXT,                     -- YYYYMM the run described
    files_seen    INTEGER,
    files_new     INTEGER,
    files_loaded  INTEGER,
    files_rejected INTEGER,
    pid           INTEGER,
    message       TEXT
);
