-- delivered_paths: one row per path seen in the inbox, so unchanged paths are not hashed again.
CREATE TABLE IF NOT EXISTS delivered_paths (
    path          TEXT PRIMARY KEY,         -- path relative to the inbox
    size_bytes    BIGINT NOT NULL,
    mtime_ns      BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    first_seen_run_id INTEGER NOT NULL,
    last_seen_run_id  INTEGER NOT NULL     -- the last run that recorded a change of its size, time or hash
);

-- source_files: one row per distinct file (content hash × file name); the same bytes under the
-- same name in two folders are one file. Its raw bytes are kept in the raw store under sha256.
CREATE TABLE IF NOT EXISTS source_files (
    file_id         INTEGER PRIMARY KEY,
    sha256          TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    first_path      TEXT NOT NULL,          -- the first inbox path it was found at
    size_bytes      BIGINT NOT NULL,
    village_code    TEXT,                   -- from the name; NULL when the name is invalid
    period          TEXT,                   -- YYYYMM from the name
    correction_rank INTEGER,                -- 1 plain, 2 _更正, N for _vN
    ingest_run_id   INTEGER NOT NULL,
    ingested_at     TIMESTAMP NOT NULL,
    status          TEXT NOT NULL,          -- 'loaded' or 'rejected'
    file_format     TEXT,                   -- 'csv' or 'xlsx'
    encoding        TEXT,                   -- 'utf-8', 'utf-8-sig', 'gb18030' for CSV
    header_row      INTEGER,                -- 1-based row of the header as Excel shows it
    rows_read       INTEGER NOT NULL DEFAULT 0,  -- data rows below the header (blank and total rows included)
    rows_skipped    INTEGER NOT NULL DEFAULT 0,  -- blank and total (合计) rows
    rows_used       INTEGER NOT NULL DEFAULT 0,
    rows_quarantined INTEGER NOT NULL DEFAULT 0,
    history_run_id  INTEGER,                -- the run whose history checks covered this file; NULL: pending
    UNIQUE (sha256, file_name)
);
