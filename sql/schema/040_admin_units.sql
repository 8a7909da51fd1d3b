-- admin_units: one row per county, township and village of the reference list (replaced each run).
CREATE TABLE IF NOT EXISTS admin_units (
    code            TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    level           TEXT NOT NULL,          -- 'county', 'township', 'village'
    parent_code     TEXT,
    management_area BOOLEAN NOT NULL
);
