-- one row per household × period of the files of mart_unit_files (the versions current when each month was
-- first run, marts/unit_files with $as_run), into the temporary month_rows the backtest projects from.
CREATE OR REPLACE TEMP TABLE month_rows AS SELECT * FROM month_rows_of();
