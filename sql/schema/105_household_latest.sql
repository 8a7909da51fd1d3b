-- household_latest: each household's latest usable return row (latest period, then the latest file and its
-- earliest row) among the rows of its village's current files up to household_latest_state.upto: what department
-- records are judged against (tasks/departments/latest.py). Kept per village and brought forward by the months
-- that changed, so the department checks do not read the whole history each run.
CREATE TABLE IF NOT EXISTS household_latest (
    village_code    TEXT NOT NULL,
    household_id    TEXT NOT NULL,
    period          TEXT NOT NULL,
    file_id         INTEGER NOT NULL,
    source_row      INTEGER NOT NULL,
    head_id_number  TEXT,
    household_type  TEXT,
    household_size  INTEGER,
    insured_count   INTEGER,
    dropout_count   INTEGER,
    housing_safe    BOOLEAN,
    water_safe      BOOLEAN
);
-- household_head_ids: for each household of household_latest whose latest row names no head's ID number (Excel's
-- 4.30521E+17), its latest usable row that names one (18 characters), among the same rows: the head's ID its
-- records are matched by (departments/latest_heads)
CREATE TABLE IF NOT EXISTS household_head_ids (
    village_code    TEXT NOT NULL,
    household_id    TEXT NOT NULL,
    head_id_number  TEXT NOT NULL,
    period          TEXT NOT NULL,
    file_id         INTEGER NOT NULL,
    source_row      INTEGER NOT NULL
);
-- household_latest_keys: per village × month up to household_latest_state.upto, a digest of its files
-- (departments/latest_changes): what household_latest was made from
CREATE TABLE IF NOT EXISTS household_latest_keys (
    village_code  TEXT NOT NULL,
    period        TEXT NOT NULL,
    digest        UBIGINT NOT NULL
);
-- household_latest_state: one row, the month household_latest is kept up to
CREATE TABLE IF NOT EXISTS household_latest_state (
    upto  TEXT NOT NULL
);
