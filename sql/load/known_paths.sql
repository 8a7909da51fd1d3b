-- one row per inbox path seen before, so an unchanged path is not hashed again
SELECT path, size_bytes, mtime_ns, sha256 FROM delivered_paths;
