-- drops the stand-ins of marts/shadow_history: the names are the stored tables' again.
DROP VIEW IF EXISTS temp.main.household_months;
DROP VIEW IF EXISTS temp.main.current_files;
DROP TABLE IF EXISTS temp.main.calendar_sums;
DROP TABLE IF EXISTS temp.main.calendar_wage_shifts;
DROP TABLE IF EXISTS temp.main.seasonal_year_shares;
DROP TABLE IF EXISTS temp.main.seasonal_shares;
DROP TABLE IF EXISTS temp.main.calendar_shares;
DROP TABLE IF EXISTS temp.main.household_month_gaps;
