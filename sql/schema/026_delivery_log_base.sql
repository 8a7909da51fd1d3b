-- delivery_log_base: one row, written by the first run that finds the store holding no delivery: the highest id of
-- the lines of <raw store>/deliveries.jsonl that stand then (core/void_log.py; 0 without a log). The log's lines up to it are what arrived before, which a
-- store rebuilt from the log reads back; while the store holds no delivery, lines above it were appended by its
-- own runs killed or failed before their first commit, and the next run voids them (tasks/ingest/deliveries.py).
CREATE TABLE IF NOT EXISTS delivery_log_base (
    last_id  INTEGER NOT NULL
);
