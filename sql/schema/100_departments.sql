-- department_files: one row per distinct department file (content hash × file name), like source_files;
-- its raw bytes are kept in the raw store under sha256. Ids are the department files' own.
CREATE TABLE IF NOT EXISTS department_files (
    file_id         INTEGER PRIMARY KEY,
    sha256          TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    first_path      TEXT NOT NULL,          -- the first inbox path it was found at
    size_bytes      BIGINT NOT NULL,
    department      TEXT,                   -- from the name (tasks/departments/events.py); NULL when invalid
    period          TEXT,                   -- YYYYMM of the push, from the name
    correction_rank INTEGER,                -- 1 plain, 2 _更正, N for _vN
    ingest_run_id   INTEGER NOT NULL,
    ingested_at     TIMESTAMP NOT NULL,
    status          TEXT NOT NULL,          -- 'loaded' or 'rejected'
    file_format     TEXT,
    encoding        TEXT,
    header_row      INTEGER,
    rows_read       INTEGER NOT NULL DEFAULT 0,
    rows_skipped    INTEGER NOT NULL DEFAULT 0,
    rows_used       INTEGER NOT NULL DEFAULT 0,
    rows_quarantined INTEGER NOT NULL DEFAULT 0,
    UNIQUE (sha256, file_name)
);
-- department_rows: one row per record of every loaded department file version (superseded ones too); one per
-- (file_id, source_row), checked by the load for each batch as for return_rows (no primary key: its index was ~40 %
-- of such a table). Stores made before keep their key.
CREATE TABLE IF NOT EXISTS department_rows (
    file_id        INTEGER NOT NULL,
    source_row     INTEGER NOT NULL,        -- row number as Excel shows it
    department     TEXT NOT NULL,
    period         TEXT NOT NULL,
    id_number      TEXT,                    -- trimmed, final x upper-cased
    name           TEXT,
    event          TEXT,                    -- the event code; the text as written when it is no event of the department
    event_text     TEXT,                    -- 事项 as written
    event_date     DATE,
    amount         DOUBLE,
    grade          TEXT,
    note           TEXT,
    is_quarantined BOOLEAN NOT NULL,
    sheet          TEXT,                    -- the workbook sheet, when the file's records were read from several
    sheet_position INTEGER                  -- and its place among the workbook's sheets (1: the first tab)
);
-- stores made before a workbook's sheets were each read get the column (NULL: one sheet or a CSV)
ALTER TABLE department_rows ADD COLUMN IF NOT EXISTS sheet TEXT;
-- and before the sheets' order was kept (NULL beside a sheet: its rows ordered by the sheet's name until re-read)
ALTER TABLE department_rows ADD COLUMN IF NOT EXISTS sheet_position INTEGER;
-- department_problems: one row per problem of a department file (file-level rows have source_row NULL).
CREATE TABLE IF NOT EXISTS department_problems (
    file_id    INTEGER NOT NULL,
    source_row INTEGER,
    code       TEXT NOT NULL,
    level      TEXT NOT NULL,
    detail     TEXT NOT NULL,
    run_id     INTEGER NOT NULL
);
-- registry_members: one row per registered member of reference/members.csv (replaced each run; empty without it).
CREATE TABLE IF NOT EXISTS registry_members (
    household_id TEXT NOT NULL,
    id_number    TEXT NOT NULL,             -- trimmed, final x upper-cased
    name         TEXT,
    relation     TEXT                       -- 户主 for the head
);
-- roster_problems: one row per problem of reference/members.csv as the latest run read it (replaced each run; a
-- refused roster: one row without source_row, the stored roster kept); listed in problems.csv as file members.csv
CREATE TABLE IF NOT EXISTS roster_problems (
    source_row   INTEGER,                   -- the CSV line (the header is line 1); NULL for the whole file
    household_id TEXT,
    code         TEXT NOT NULL,
    level        TEXT NOT NULL,
    detail       TEXT NOT NULL
);
-- department_findings: one row per finding of the as-of month (person × event × event date; MEDICAL_OOP
-- household × income year), rebuilt by each run for its as-of month. is_outside: a record of 外地 (an ID of
-- no county of the city), counted on the city page only.
CREATE TABLE IF NOT EXISTS department_findings (
    as_of         TEXT NOT NULL,
    county_code   TEXT,
    township_code TEXT,
    village_code  TEXT,
    household_id  TEXT,
    id_number     TEXT,
    name          TEXT,
    department    TEXT NOT NULL,
    event         TEXT NOT NULL,
    event_date    DATE,
    period        TEXT NOT NULL,            -- the file month it was first seen in (MEDICAL_OOP: of the latest amount)
    amount        DOUBLE,
    finding       TEXT NOT NULL,            -- CLUE, MISMATCH, ASSET, UNREGISTERED
    detail        TEXT NOT NULL,
    is_outside    BOOLEAN NOT NULL,
    file_id       INTEGER,                  -- the department file and row it was seen in
    source_row    INTEGER,
    sheet         TEXT                      -- and the sheet of a file read from several (department_rows.sheet)
);
ALTER TABLE department_findings ADD COLUMN IF NOT EXISTS sheet TEXT;
-- department_judged: one row, the digest of what the stored findings were judged from (tasks/departments/judged.py)
CREATE TABLE IF NOT EXISTS department_judged (
    inputs_digest   TEXT NOT NULL
);
-- department_measures: one row per household × period whose suggested measure a CLUE changed: the measure
-- without the clues and as changed, so the next run puts it back when the clue is withdrawn.
CREATE TABLE IF NOT EXISTS department_measures (
    household_id    TEXT NOT NULL,
    period          TEXT NOT NULL,
    base_measure    TEXT,
    applied_measure TEXT
);
-- department_file_versions: one row per department file with its latest delivery (NULL for a file of a store
-- older than the delivery log): its standing among the versions of its department and month, as file_versions.
CREATE OR REPLACE VIEW department_file_versions AS
SELECT f.*, d.last_delivery_id
FROM department_files f
LEFT JOIN (SELECT sha256, file_name, max(delivery_id) AS last_delivery_id FROM deliveries GROUP BY ALL) d
  USING (sha256, file_name);
-- current_department_files: one row per department × period: the loaded version that wins by the correction
-- rules of village returns (higher rank; at equal rank the latest delivery, so A, B, then A again keeps A;
-- files older than the delivery log by their run; then the name sorting last).
CREATE OR REPLACE VIEW current_department_files AS
SELECT * EXCLUDE (version_order, last_delivery_id)
FROM (SELECT f.*,
             row_number() OVER (PARTITION BY department, period
                                ORDER BY correction_rank DESC, last_delivery_id DESC NULLS LAST, ingest_run_id DESC,
                                         file_name DESC, file_id DESC) AS version_order
      FROM department_file_versions f
      WHERE status = 'loaded')
WHERE version_order = 1;
-- department_problem_files: one row per department file whose problems are still listed (no loaded version of
-- the same department × period supersedes it; files with unusable names always listed).
CREATE OR REPLACE VIEW department_problem_files AS
SELECT f.* EXCLUDE (last_delivery_id)
FROM department_file_versions f
LEFT JOIN (SELECT c.*, v.last_delivery_id FROM current_department_files c
           JOIN department_file_versions v USING (file_id)) c
  ON c.department = f.department AND c.period = f.period
WHERE c.file_id IS NULL
   OR c.file_id = f.file_id
   OR c.correction_rank < f.correction_rank
   OR (c.correction_rank = f.correction_rank
       AND (coalesce(c.last_delivery_id, -1), c.ingest_run_id, c.file_name, c.file_id)
         < (coalesce(f.last_delivery_id, -1), f.ingest_run_id, f.file_name, f.file_id));
-- department_labels: one row per department, event and finding code with its Chinese label (from
-- tasks/departments/events.py, written by each run), so reports and exports show labels from SQL.
CREATE TABLE IF NOT EXISTS department_labels (
    kind  TEXT NOT NULL,                    -- 'department', 'event' or 'finding'
    code  TEXT NOT NULL,
    label TEXT NOT NULL
);
