-- one row per household × period of the files of mart_unit_files (marts/then_unit_files: one county's earlier years
-- as they stood when a backtest month was run, and that year's months as run), into the temporary months_then.
CREATE OR REPLACE TEMP TABLE months_then AS SELECT * FROM month_rows_of();
