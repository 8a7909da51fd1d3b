-- one row per household × period of the current returns (quarantined rows excluded), for the files of
-- mart_unit_files (the current versions of the county × period units, marts/unit_files): month_rows_of.
-- Stored by month, so that a year's or a month's rows are read alone, and within a month by village (so by county):
-- the marts' statements run a group of counties at a time, and a row group then holds a few counties, which the
-- group's join with mart_units skips by its min/max. A month inserted by a night for every county was otherwise in
-- no order within its month, and every group read all of its rows (benchmarks/performance_notes.md, 24th round).
INSERT INTO household_months
SELECT * FROM month_rows_of() ORDER BY period, village_code;
