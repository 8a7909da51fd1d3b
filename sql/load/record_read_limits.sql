-- records the [ingest] read limits the store's returns were read under ($limits_key), replacing those recorded
INSERT OR REPLACE INTO read_limits_applied VALUES (1, $limits_key);
