-- temporary stand-ins, under the same names, for household_months (months_then) and the marts learned from it,
-- empty: the calendar statements then read and write these (temporary objects are found first), so one county's
-- earlier years are learned again as they stood when a backtest month was run without touching the stored marts.
-- Dropped by marts/unshadow_history; each CREATE fails if a stand-in was left, so none can be built on twice.
CREATE TEMP VIEW household_months AS SELECT * FROM months_then;
CREATE TEMP TABLE calendar_sums AS SELECT * FROM calendar_sums LIMIT 0;
CREATE TEMP TABLE calendar_wage_shifts AS SELECT * FROM calendar_wage_shifts LIMIT 0;
CREATE TEMP TABLE seasonal_year_shares AS SELECT * FROM seasonal_year_shares LIMIT 0;
CREATE TEMP TABLE seasonal_shares AS SELECT * FROM seasonal_shares LIMIT 0;
CREATE TEMP TABLE calendar_shares AS SELECT * FROM calendar_shares LIMIT 0;
CREATE TEMP TABLE household_month_gaps AS SELECT * FROM household_month_gaps LIMIT 0;
