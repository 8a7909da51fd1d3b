-- one row per household × period of the current returns (quarantined rows excluded), for the files of
-- mart_unit_files (the current versions of the county × period units, marts/unit_files): month_rows_of.
INSERT INTO household_months
SELECT * FROM month_rows_of() ORDER BY period;  -- stored by month, so that a year's or a month's rows are read alone
