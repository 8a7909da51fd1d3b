-- case_log_base: one row, written the first time a store meets <raw store>/case_events.jsonl (tasks/cases/
-- event_log.py): the highest seq it then held, read back from the log (a store rebuilt: database deleted, raw store
-- kept) or written into it (a ledger kept before its log). Lines above it and above the store's own events were
-- appended by its runs or imports killed or failed before their commit, and are voided before the next append.
CREATE TABLE IF NOT EXISTS case_log_base (
    last_seq  BIGINT NOT NULL
);
