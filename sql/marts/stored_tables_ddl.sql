-- the CREATE statement of each of the store's own tables named in $tables (not a temporary one of the same name),
-- which core/db.create_empty_temp makes empty temporary tables from (the backtest's stand-ins, the ledger's
-- derived_cases and case_evidence_changes).
SELECT table_name, sql
FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
  AND list_contains($tables, table_name)
ORDER BY table_name;
