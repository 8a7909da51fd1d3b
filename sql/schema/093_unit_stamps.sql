-- unit_stamps_kept: per village × month with a file on record (village and month known), what the marts' and the
-- department checks' keys read of its files: `stamp`, an md5 of every file's record in file_id order (its version,
-- status, rank, run, latest delivery, name, row counts and the digest of its stored rows, file_digests), and
-- `digest`, an xor of a hash of the same fields (household_latest_keys). Kept, not computed from every file on
-- record each run (0.9, 0.5 and 1.2 s a run at ten times the city's files): the writers of source_files,
-- deliveries and file_digests name the village × months they touched in unit_stamps_stale, and a reader computes
-- those again first (tasks/marts/unit_stamps.fresh).
CREATE TABLE IF NOT EXISTS unit_stamps_kept (
    village_code TEXT NOT NULL,
    period       TEXT NOT NULL,
    stamp        TEXT NOT NULL,
    digest       UBIGINT
);
-- county_stamps_kept: per county × month, an md5 of its villages' stamps in village order (marts/period_stamps),
-- computed again with theirs.
CREATE TABLE IF NOT EXISTS county_stamps_kept (
    county_code TEXT NOT NULL,
    period      TEXT NOT NULL,
    stamp       TEXT NOT NULL
);
-- unit_stamps_stale: the village × months whose stamps are to be computed again (duplicates allowed).
CREATE TABLE IF NOT EXISTS unit_stamps_stale (village_code TEXT, period TEXT);
