-- deliveries: the delivery log as the store holds it: one row per time an inbox path was found holding bytes
-- it did not hold before (a new path, new content at a known path, or earlier content sent again), in delivery
-- order. A file's standing among the versions of its village and month is that of its latest delivery. The
-- log is also appended to <raw store>/deliveries.jsonl, so a store rebuilt from the raw store gives the same
-- current versions: before the store commits them, and a later {"void_after": N} line drops those never committed
-- (tasks/ingest/deliveries.py).
CREATE TABLE IF NOT EXISTS deliveries (
    delivery_id   INTEGER PRIMARY KEY,      -- delivery order across runs; within a run by file name, then path
    path          TEXT NOT NULL,            -- path relative to the inbox
    sha256        TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    run_id        INTEGER NOT NULL,         -- the run that found it (in the store the log was first written by)
    delivered_at  TIMESTAMP NOT NULL,
    mtime_ns      BIGINT                    -- the path's modification time then (the day a return without 填报日期
);                                          -- is dated by; NULL: delivered before it was kept, or read from the log
-- stores made before get the column (their deliveries dated by the path's time now, delivered_paths)
ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS mtime_ns BIGINT;
