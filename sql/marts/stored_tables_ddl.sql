-- the CREATE statement of each of the store's own tables named in $tables (not a temporary one of the same name),
-- which the backtest's stand-ins are made from (tasks/marts/backtest_then.py).
SELECT table_name, sql
FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
  AND list_contains($tables, table_name)
ORDER BY table_name;
