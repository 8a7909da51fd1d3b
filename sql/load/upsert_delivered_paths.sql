-- one row per inbox path, refreshed from the registered frame batch_paths
INSERT INTO delivered_paths BY NAME
SELECT * FROM batch_paths
ON CONFLICT (path) DO UPDATE SET
    size_bytes = excluded.size_bytes,
    mtime_ns = excluded.mtime_ns,
    sha256 = excluded.sha256,
    last_seen_run_id = excluded.last_seen_run_id;
