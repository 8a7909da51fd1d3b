-- the mart tables, kept between runs and updated unit by unit (county × period or county × income year);
-- created when the marts are (re)built from scratch (tasks/mart_keys.py reset_marts).
-- household_months: one row per household × period of the current returns (quarantined rows excluded).
CREATE TABLE IF NOT EXISTS household_months (
    county_code TEXT, township_code TEXT, village_code TEXT, household_id TEXT, file_id INTEGER,
    source_row INTEGER, household_type TEXT, household_size INTEGER, labor_count INTEGER, period TEXT,
    income_year INTEGER, income_month INTEGER, wage_income DOUBLE, business_income DOUBLE,
    property_income DOUBLE, transfer_income DOUBLE, business_expense DOUBLE, ytd_net_income DOUBLE,
    last_year_per_capita DOUBLE);
-- seasonal_shares: one row per county × target income year × month of the income year.
CREATE TABLE IF NOT EXISTS seasonal_shares (
    county_code TEXT, income_year INTEGER, income_month INTEGER, is_learned BOOLEAN, history_years TEXT,
    wage_share DOUBLE, business_share DOUBLE, property_share DOUBLE, transfer_share DOUBLE, expense_share DOUBLE);
-- calendar_shares: one row per household (or village, household_id ''; or county, both '') × target income year ×
-- month.
CREATE TABLE IF NOT EXISTS calendar_shares (
    county_code TEXT, income_year INTEGER, income_month INTEGER, village_code TEXT, household_id TEXT,
    wage_share DOUBLE, business_share DOUBLE, property_share DOUBLE, transfer_share DOUBLE, expense_share DOUBLE,
    history_years INTEGER);
-- calendar_sums: one row per household × complete income year h × month: running counts and sums of its shares
-- over its complete years up to h (exact decimals); calendar_wage_shifts: what moving its festival lumps to a
-- target's festival month adds to those wage sums.
CREATE TABLE IF NOT EXISTS calendar_sums (
    county_code TEXT, village_code TEXT, household_id TEXT, through_year INTEGER, income_month INTEGER,
    n_wage INTEGER, wage DECIMAL(38, 12), n_business INTEGER, business DECIMAL(38, 12), n_property INTEGER,
    property DECIMAL(38, 12), n_transfer INTEGER, transfer DECIMAL(38, 12), n_expense INTEGER,
    expense DECIMAL(38, 12));
-- seasonal_year_shares: one row per county × complete income year × month: its households' median shares.
CREATE TABLE IF NOT EXISTS seasonal_year_shares (
    county_code TEXT, income_year INTEGER, income_month INTEGER, household_count BIGINT,
    n_wage BIGINT, wage_share DECIMAL(18, 12), n_business BIGINT, business_share DECIMAL(18, 12),
    n_property BIGINT, property_share DECIMAL(18, 12), n_transfer BIGINT, transfer_share DECIMAL(18, 12),
    n_expense BIGINT, expense_share DECIMAL(18, 12));
CREATE TABLE IF NOT EXISTS calendar_wage_shifts (
    county_code TEXT, household_id TEXT, through_year INTEGER, target_festival INTEGER, income_month INTEGER,
    wage_shift DECIMAL(38, 12));
-- household_month_gaps: one row per household × month missing between a household's returns of an income year.
CREATE TABLE IF NOT EXISTS household_month_gaps (
    household_id TEXT, county_code TEXT, income_year INTEGER, income_month BIGINT, household_size INTEGER,
    before_month INTEGER, after_month INTEGER, wage_income DOUBLE, business_income DOUBLE,
    property_income DOUBLE, transfer_income DOUBLE, business_expense DOUBLE, ytd_net_income DOUBLE);
-- projection_backtest: one row per household × month 1–11 of a complete, learned income year.
CREATE TABLE IF NOT EXISTS projection_backtest (
    household_id TEXT, county_code TEXT, income_year INTEGER, income_month INTEGER,
    projected_per_capita DOUBLE, county_per_capita DOUBLE, naive_per_capita DOUBLE, actual_per_capita DOUBLE,
    line DOUBLE, history_years INTEGER, ytd_per_capita DOUBLE, last_year_ytd_per_capita DOUBLE);
-- backtest_month_spreads: one row per county × complete, learned income year × month 1–11: the year-over-year spread
-- of every household projected at that month as it was run (those without a year-end actual too).
CREATE TABLE IF NOT EXISTS backtest_month_spreads (
    county_code TEXT, income_year INTEGER, income_month INTEGER, spread DOUBLE);
-- projection_bands: one row per county × target income year × month with backtest errors to learn from.
CREATE TABLE IF NOT EXISTS projection_bands (
    county_code TEXT, income_year INTEGER, income_month INTEGER, backtest_count BIGINT,
    low_scaled_error DOUBLE, high_scaled_error DOUBLE, new_backtest_count BIGINT, new_low_scaled_error DOUBLE,
    new_high_scaled_error DOUBLE);
-- backtest_bands_then: one row per county × backtested year × month projected from its earlier years as they stood
-- then (tasks/marts/backtest_then.py): the band learned from the earlier years' backtests with their year-end
-- actuals as they stood then (columns NULL: no band then), which the backtest's coverage reads for that month.
CREATE TABLE IF NOT EXISTS backtest_bands_then (
    county_code TEXT, income_year INTEGER, income_month INTEGER, backtest_count BIGINT,
    low_scaled_error DOUBLE, high_scaled_error DOUBLE, new_backtest_count BIGINT, new_low_scaled_error DOUBLE,
    new_high_scaled_error DOUBLE);
-- backtest_bands: the band the backtest's coverage reads for each county × year × month: backtest_bands_then's
-- where that month was projected as its earlier years stood then, else projection_bands'.
CREATE OR REPLACE VIEW backtest_bands AS
SELECT * FROM projection_bands ANTI JOIN backtest_bands_then USING (county_code, income_year, income_month)
UNION ALL
SELECT * FROM backtest_bands_then WHERE backtest_count IS NOT NULL;
-- projection_accuracy: one row per backtested income year × month 1–11 × method.
CREATE TABLE IF NOT EXISTS projection_accuracy (
    income_year INTEGER, month INTEGER, method TEXT, median_abs_pct_error DOUBLE, below_line_precision DOUBLE,
    below_line_recall DOUBLE, coverage DOUBLE);
-- household_status: one row per household × period of the as-of income year up to the as-of month.
CREATE TABLE IF NOT EXISTS household_status (
    county_code TEXT, township_code TEXT, village_code TEXT, household_id TEXT, head_name TEXT,
    head_id_number TEXT, household_type TEXT, household_size INTEGER, labor_count INTEGER, period TEXT,
    income_year INTEGER, income_month INTEGER, ytd_net_income DOUBLE, projected_per_capita DOUBLE,
    projected_low DOUBLE, projected_high DOUBLE, last_year_per_capita DOUBLE, line DOUBLE, is_below_line BOOLEAN,
    is_near_line BOOLEAN, is_sudden_drop BOOLEAN, is_unstable_lifted BOOLEAN, has_guarantee_gap BOOLEAN,
    flags TEXT, reasons TEXT, page_reasons TEXT, suggested_measure TEXT, risk_causes TEXT, guarantee_gaps TEXT);
-- village_signals: one row per village × period × signal code of the as-of income year up to the as-of month.
CREATE TABLE IF NOT EXISTS village_signals (
    county_code TEXT, township_code TEXT, village_code TEXT, period TEXT, code TEXT, detail TEXT);
-- file_digests: one row per file on record: a digest of its stored rows, so that a rerun that re-reads a
-- file (same file_id) into different rows changes the keys of what depends on it.
CREATE TABLE IF NOT EXISTS file_digests (file_id INTEGER, row_count BIGINT, rows_digest UBIGINT);
