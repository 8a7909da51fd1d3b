-- one row per column of the store's base tables (main schema), in table then column order: what the published
-- pages and exports could read, for the digest of tasks/report/freshness.py
SELECT table_name, column_name
FROM information_schema.columns
WHERE table_schema = 'main'
  AND table_name IN (SELECT table_name FROM information_schema.tables
                     WHERE table_schema = 'main' AND table_type = 'BASE TABLE')
ORDER BY table_name, ordinal_position;
