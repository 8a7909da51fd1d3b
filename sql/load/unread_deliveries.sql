-- one row per delivery on record whose file (content hash × name) was never read into the store, neither as a
-- village return nor as a department file: what a rebuild from the delivery log left unread when it was killed
-- (the bytes wait in the raw store)
SELECT d.delivery_id, d.path, d.sha256, d.file_name, d.run_id, d.delivered_at
FROM deliveries d
WHERE NOT EXISTS (SELECT 1 FROM source_files f WHERE f.sha256 = d.sha256 AND f.file_name = d.file_name)
  AND NOT EXISTS (SELECT 1 FROM department_files f WHERE f.sha256 = d.sha256 AND f.file_name = d.file_name)
ORDER BY d.delivery_id;
