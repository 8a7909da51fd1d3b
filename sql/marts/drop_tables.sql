-- drops every mart table and its keys, before the marts are rebuilt from scratch (settings or SQL changed)
DROP TABLE IF EXISTS household_months; DROP TABLE IF EXISTS seasonal_shares;
DROP TABLE IF EXISTS calendar_shares;
DROP TABLE IF EXISTS calendar_sums; DROP TABLE IF EXISTS calendar_wage_shifts;
DROP TABLE IF EXISTS seasonal_year_shares;
DROP TABLE IF EXISTS household_month_gaps; DROP TABLE IF EXISTS projection_backtest;
DROP TABLE IF EXISTS backtest_month_spreads;
DROP VIEW IF EXISTS backtest_bands; DROP TABLE IF EXISTS backtest_bands_then;
DROP TABLE IF EXISTS projection_bands; DROP TABLE IF EXISTS projection_accuracy;
DROP TABLE IF EXISTS household_status; DROP TABLE IF EXISTS village_signals; DROP TABLE IF EXISTS file_digests;
DELETE FROM mart_keys;
