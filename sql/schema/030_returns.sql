-- return_rows: one row per household row of every loaded file version (superseded ones too). One row per
-- (file_id, source_row): the load checks it for each batch (tasks/ingest/load.py) instead of a primary key, whose
-- index was ~40 % of the table's bytes and slowed every insert (benchmarks/performance_notes.md, twenty-third
-- round). Stores made before keep their key (DuckDB cannot drop one in place), and both checks then hold.
CREATE TABLE IF NOT EXISTS return_rows (
    file_id          INTEGER NOT NULL,
    source_row       INTEGER NOT NULL,      -- row number as Excel shows it (header counts)
    village_code     TEXT NOT NULL,
    period           TEXT NOT NULL,
    household_id     TEXT,
    head_name        TEXT,
    head_id_number   TEXT,
    household_size   INTEGER,
    labor_count      INTEGER,
    household_type   TEXT,
    wage_income      DOUBLE,
    business_income  DOUBLE,
    property_income  DOUBLE,
    transfer_income  DOUBLE,
    business_expense DOUBLE,
    last_year_per_capita DOUBLE,
    housing_safe     BOOLEAN,
    water_safe       BOOLEAN,
    dropout_count    INTEGER,
    insured_count    INTEGER,
    risk_causes      TEXT,                  -- normalised, joined by '、'
    report_date      DATE,
    extra_columns    TEXT,                  -- JSON object of columns not in the contract, kept aside
    is_quarantined   BOOLEAN NOT NULL       -- an error problem: kept, not used
);

-- file_report_dates: one row per loaded file with rows: the latest 填报日期 of its rows (NULL when none gives one).
-- Written as the file loads, forgotten with its rows when re-read: the reporting status reads it, not every return
-- row of the income year's current files.
CREATE TABLE IF NOT EXISTS file_report_dates (
    file_id     INTEGER NOT NULL,
    report_date DATE
);

-- problems: one row per data problem found in a file (file-level rows have source_row NULL).
CREATE TABLE IF NOT EXISTS problems (
    file_id      INTEGER NOT NULL,
    source_row   INTEGER,
    household_id TEXT,
    code         TEXT NOT NULL,
    level        TEXT NOT NULL,             -- 'error' or 'warning'
    detail       TEXT NOT NULL,
    run_id       INTEGER NOT NULL
);
