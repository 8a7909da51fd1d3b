-- the CREATE statement of each of the store's own tables named in $tables (not a temporary one of the same name),
-- which the backtest's stand-ins (tasks/marts/backtest_then.py) and the ledger's derived_cases
-- (tasks/cases/ledger.py) are made from.
SELECT table_name, sql
FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
  AND list_contains($tables, table_name)
ORDER BY table_name;
