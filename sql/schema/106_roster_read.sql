-- roster_read: one row, the digest of the reference/members.csv bytes (or of its absence) and of the code that
-- read them, that registry_members and roster_problems were last made from: a run whose roster digests the same
-- leaves both as they are without reading the file again (tasks/departments/members.py)
CREATE TABLE IF NOT EXISTS roster_read (
    stamp  TEXT NOT NULL
);
