-- return_rows: one row per household row of every loaded file version (superseded ones too).
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
    is_quarantined   BOOLEAN NOT NULL,      -- an error problem: kept, not used
    PRIMARY KEY (file_id, source_row)
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
