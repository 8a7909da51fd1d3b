-- a temporary stand-in, under the same name, for household_months: months_then. With the empty stand-ins of the
-- marts learned from it (backtest_then.create_stand_ins), the calendar statements read and write these (temporary
-- objects are found first), so one county's earlier years are learned again as they stood when a backtest month
-- was run without touching the stored marts. Dropped by marts/unshadow_history; the CREATE fails if a stand-in
-- was left, so none can be built on twice.
CREATE TEMP VIEW household_months AS SELECT * FROM months_then;
