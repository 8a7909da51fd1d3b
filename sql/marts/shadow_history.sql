-- temporary stand-ins, under the same names, for household_months (months_then) and current_files (the files of
-- mart_unit_files, marts/then_unit_files, whose quarantined rows the gap estimates read). With the empty stand-ins
-- of the marts learned from them (backtest_then.create_stand_ins), the calendar statements read and write these
-- (temporary objects are found first), so one county's earlier years are learned again as they stood when a
-- backtest month was run without touching the stored marts. Dropped by marts/unshadow_history; the CREATE fails if a stand-in
-- was left, so none can be built on twice.
CREATE TEMP VIEW household_months AS SELECT * FROM months_then;
CREATE TEMP VIEW current_files AS SELECT * FROM file_versions SEMI JOIN mart_unit_files USING (file_id);
