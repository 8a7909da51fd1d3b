-- refusal_log_base: one row, written the first time a store meets <raw store>/case_import_refusals.jsonl (tasks/
-- cases/refusal_log.py): the highest check_seq it then held, read back from the log (a store rebuilt: database
-- deleted, raw store kept) or written into it (refusals kept before their log). Lines above it and above the
-- store's own checks were appended by its imports killed or failed before their commit, voided before the next.
CREATE TABLE IF NOT EXISTS refusal_log_base (
    last_check_seq  BIGINT NOT NULL
);
