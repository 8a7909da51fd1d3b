-- store_identity: one row, the store's id, given by its first run (a store made by an earlier povmon gets one on
-- its first run too). <raw store>/deliveries.writer.json names the store writing that raw store's delivery log by
-- this id and its path, so a second store (a copy, or a new store beside a raw store named in the settings) is
-- refused instead of voiding the first one's deliveries there (tasks/ingest/log_writer.py).
CREATE TABLE IF NOT EXISTS store_identity (
    store_id  TEXT NOT NULL
);
