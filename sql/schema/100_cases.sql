-- case_events: the case ledger's memory (cases.md), append-only: one row per opening, decision, status change
-- and closing of a case. Never updated, never deleted; the cases table is rebuilt from it. Each row carries
-- the case's state after the event, so the current state is that of its last event (by seq).
CREATE TABLE IF NOT EXISTS case_events (
    seq              BIGINT PRIMARY KEY,     -- order of recording (1, 2, ...): later wins
    case_id          TEXT NOT NULL,
    event            TEXT NOT NULL,          -- 'opened', 'decision', 'superseded' (an earlier-dated decision),
                                             -- 'replayed' (the state its decisions replayed by date leave), 'closed'
    recorded_at      TIMESTAMP NOT NULL,     -- wall-clock time of recording (not part of any export)
    event_on         DATE NOT NULL,          -- the run's today, or the decision's 核查日期
    as_of_period     TEXT,                   -- YYYYMM: the run's as-of month (for a decision: the latest on record)
    run_id           INTEGER,                -- source: the run ...
    file_sha256      TEXT,                   -- ... or the imported workbook's hash and Excel row
    file_name        TEXT,
    file_row         INTEGER,
    actor            TEXT,                   -- 核查人 of a decision
    -- the case's state after this event
    status           TEXT NOT NULL,          -- open, confirmed, assisting, dismissed, closed
    conclusion       TEXT,                   -- 属实, 不属实, 风险消除
    measures         TEXT,                   -- joined by '、'
    decided_on       DATE,                   -- 核查日期 of the decision in force
    note             TEXT,                   -- 备注
    closed_on        DATE,
    close_reason     TEXT,                   -- why the pipeline (or a person) closed it, Chinese
    evidence_value   DOUBLE,                 -- projected per-capita then (household cases): what "worsens" compares to
    -- what the opening fixes (NULL on later events)
    kind             TEXT,                   -- BELOW_LINE, ..., THRESHOLD_BUNCHING, ..., DATA_ERRORS, DEPT_<EVENT>
    subject_key      TEXT,                   -- household_id, village_code, or village_code:YYYYMM (DATA_ERRORS)
    county_code      TEXT,
    township_code    TEXT,
    village_code     TEXT,
    household_id     TEXT,
    subject_period   TEXT,                   -- DATA_ERRORS: the village × month's month
    opened_period    TEXT,                   -- the as-of month of the opening run
    opened_on        DATE,
    previous_case_id TEXT,
    detail           TEXT,                   -- 依据: what the source said when the case opened; of a decision:
                                             -- the 核查结论 and 帮扶措施 its row wrote (JSON, null: blank)
    file_sheet       TEXT                    -- the workbook's sheet of the row, when more than one sheet held
);                                           -- decisions (NULL: one did; a copied sheet repeats the rows' numbers)
-- stores made before get the column (NULL: a row of a workbook's only sheet, or of a workbook imported before)
ALTER TABLE case_events ADD COLUMN IF NOT EXISTS file_sheet TEXT;

-- case_evidence: one row per household with a household case × period: its projected per-capita, monitoring
-- floor (line × near_line_factor), labour and flags as the runs saw them; kept across income years, so that
-- "absent for N months" and "N months above the range" can be judged (rebuilt identically by a replay).
CREATE TABLE IF NOT EXISTS case_evidence (
    household_id         TEXT NOT NULL,
    period               TEXT NOT NULL,
    projected_per_capita DOUBLE,
    monitoring_floor     DOUBLE,
    labor_count          INTEGER,
    flags                TEXT                -- one row per household × period (no key: an index makes every
);                                           -- nightly rewrite of the month's rows slow to commit)

-- cases: one row per case, its current state (derived from case_events by tasks/cases/ledger.py; the cases whose
-- state changed replaced).
CREATE TABLE IF NOT EXISTS cases (
    case_id TEXT, kind TEXT, subject_key TEXT, county_code TEXT, township_code TEXT, village_code TEXT,
    household_id TEXT, subject_period TEXT, opened_period TEXT, opened_on DATE, deadline DATE, status TEXT,
    conclusion TEXT, measures TEXT, actor TEXT, decided_on DATE, note TEXT, closed_on DATE, closed_period TEXT,
    close_reason TEXT, evidence_value DOUBLE, previous_case_id TEXT, detail TEXT, is_removal_candidate BOOLEAN,
    case_number INTEGER,
    judged_on DATE,          -- the today of the run or command that derived this table
    overdue_days INTEGER);   -- days past the deadline as of judged_on while waiting (open; DATA_ERRORS until closed), else 0

-- cases_derived: what the cases table was last derived with (tasks/cases/ledger.py derive_cases): the derivation's
-- settings and SQL, the events it read (their count and last seq) and the cases it left (the sum of their rows'
-- hashes). While these hold, a derivation reads again only the cases of the events recorded since (and the cases a
-- removal is judged for)
CREATE TABLE IF NOT EXISTS cases_derived (
    derived_with TEXT NOT NULL,  -- digest of the derivation's settings and SQL
    events       BIGINT NOT NULL,
    last_seq     BIGINT NOT NULL,
    cases        TEXT NOT NULL);

-- a case's days past its deadline as of today while it waits (open; DATA_ERRORS until closed), else 0
CREATE OR REPLACE MACRO case_overdue_days(status, kind, deadline, today) AS
    CASE WHEN (status = 'open' OR (kind = 'DATA_ERRORS' AND status IN ('open', 'confirmed', 'assisting')))
              AND CAST(today AS DATE) > deadline
         THEN CAST(date_diff('day', deadline, CAST(today AS DATE)) AS INTEGER) ELSE 0 END;

-- a YYYYMM month as a month count, so consecutive months differ by 1 (tasks/cases/rules.py period_index)
CREATE OR REPLACE MACRO period_index(period) AS
    CAST(left(period, 4) AS INTEGER) * 12 + CAST(right(period, 2) AS INTEGER) - 1;

-- the Chinese label of a case status (the same labels as tasks/cases/rules.py STATUS_LABELS, for pages)
CREATE OR REPLACE MACRO case_status_label(status) AS
    CASE status WHEN 'open' THEN '待核查' WHEN 'confirmed' THEN '已核实' WHEN 'assisting' THEN '帮扶中'
                WHEN 'dismissed' THEN '不属实' WHEN 'closed' THEN '已销号' ELSE status END;

-- text with anything shaped like a resident ID (18 characters, or 17 digits; or exactly 15 digits, a
-- first-generation ID, never a 16-digit household ID) masked to its first 6 and last 4 (as
-- tasks/validate/id_number.mask_id_shaped). RE2 has no look-around: the 15-digit step takes the characters either
-- side, so it runs twice for two such IDs one character apart
CREATE OR REPLACE MACRO mask_ids(text) AS
    regexp_replace(regexp_replace(
        regexp_replace(regexp_replace(text, '([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])', '\1********\2', 'g'),
                       '([0-9]{6})[0-9]{7}([0-9]{4})', '\1*******\2', 'g'),
        '(^|[^0-9])([0-9]{6})[0-9]{5}([0-9]{4})([^0-9]|$)', '\1\2*****\3\4', 'g'),
        '(^|[^0-9])([0-9]{6})[0-9]{5}([0-9]{4})([^0-9]|$)', '\1\2*****\3\4', 'g');

-- case_import_refusals: one row per refused check of a decision row of an imported workbook (append-only; the
-- same file imported again adds only the reasons of a row checked again that differ from its latest check's, or
-- that come in a later month), so pages can show what went back to the townships
CREATE TABLE IF NOT EXISTS case_import_refusals (
    file_sha256  TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    file_row     INTEGER NOT NULL,             -- the Excel row
    case_id      TEXT,                         -- as written
    county_code  TEXT,                         -- of the case, when it is known
    code         TEXT NOT NULL,                -- CASE_UNKNOWN, CASE_STATUS, ...
    detail       TEXT NOT NULL,
    imported_on  DATE NOT NULL,                -- the import's today
    check_seq    BIGINT,                       -- order of recording (1, 2, ...: one per import): the latest check is
                                               -- the highest, as two imports of one day share imported_on
    file_sheet   TEXT                          -- the row's sheet, as case_events.file_sheet
);
-- stores made before get the columns (check_seq NULL: recorded before any numbered check, latest by imported_on)
ALTER TABLE case_import_refusals ADD COLUMN IF NOT EXISTS check_seq BIGINT;
ALTER TABLE case_import_refusals ADD COLUMN IF NOT EXISTS file_sheet TEXT;

-- ledger_judged: one row, the digests of what the last ledger update read and of the ledger it left
-- (tasks/cases/judged.py): a run with the same keeps the ledger as it is
CREATE TABLE IF NOT EXISTS ledger_judged (
    inputs_digest  TEXT NOT NULL,
    ledger_digest  TEXT NOT NULL
);
