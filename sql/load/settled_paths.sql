-- the paths of the registered frame unchanged_paths (path, file_name, sha256: inbox paths whose size and mtime are
-- those on record) with nothing to do: their bytes under their name are a known village return (source_files) and
-- the path's latest delivery on record holds them (load/latest_deliveries' rule), so they are neither read nor
-- delivered again; the rest of a run's discovery looks only at the other paths
SELECT u.path, u.file_name, u.sha256
FROM unchanged_paths u
SEMI JOIN source_files f ON f.sha256 = u.sha256 AND f.file_name = u.file_name
LEFT JOIN (SELECT path, arg_max(sha256, delivery_id) AS sha256 FROM deliveries
           WHERE path IN (SELECT path FROM unchanged_paths) GROUP BY path) d USING (path)
LEFT JOIN delivered_paths p USING (path)
WHERE coalesce(d.sha256, p.sha256) = u.sha256;
