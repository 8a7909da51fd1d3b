-- one row per household × period of the current returns (quarantined rows excluded), for the county ×
-- period units of registered frame mart_units: the rows month_rows (made just before, current versions) holds.
INSERT INTO household_months
SELECT * FROM month_rows ORDER BY period;  -- stored by month, so that a year's or a month's rows are read alone
