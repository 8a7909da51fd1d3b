-- the temporary previous_sums_years: for each county × income year unit of registered frame mart_units (all units
-- of one year), the county's latest complete year before it whose running sums are kept (none for its first
-- complete year): calendar_sums and calendar_wage_shifts extend that year's.
CREATE OR REPLACE TEMP TABLE previous_sums_years AS
SELECT u.county_code, CAST(u.unit AS INTEGER) AS through_year, max(s.through_year) AS previous_year
FROM mart_units u
JOIN (SELECT DISTINCT county_code, through_year FROM calendar_sums  -- the units' counties' rows alone (a province's
      WHERE county_code IN (SELECT county_code FROM mart_units)) s   -- 45 M rows read whole took 0.22 s, these 0.02 s)
  ON s.county_code = u.county_code AND s.through_year < CAST(u.unit AS INTEGER)
GROUP BY ALL;
