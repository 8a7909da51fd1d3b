-- the household-years of the county × income year units registered as mart_units whose estimates after their last
-- return of the year (up to their county's last month) the next October alone may change, made the temporary
-- gap_households: those with such estimates now (an October corrected may drop them), and those in their county's
-- next October but not in its last month of the year (an October may bring them back). A household in that last
-- month has no month after its last return, and one new in October none of the year. More households than these
-- would be estimated the same, only slower.
CREATE OR REPLACE TEMP TABLE gap_households AS
WITH unit_keys AS (
    SELECT county_code, CAST(unit AS INTEGER) AS income_year FROM mart_units
), county_last AS (     -- the county's last month of the year with a current file: its last usable return's
                         -- or later (a month whose every row was held back), which only adds households (a province's
                         -- files: 0.07 s, against 0.3 s for its ~18 M household months)
    SELECT left(f.village_code, 6) AS county_code, income_year_of(f.period) AS income_year,
           max(income_month_of(f.period)) AS last_month
    FROM current_files f JOIN unit_keys u ON u.county_code = left(f.village_code, 6)
                                          AND u.income_year = income_year_of(f.period)
    GROUP BY ALL
), at_last AS (
    SELECT m.household_id, m.county_code, m.income_year
    FROM household_months m JOIN county_last c
      ON c.county_code = m.county_code AND c.income_year = m.income_year AND c.last_month = m.income_month
), back AS (
    SELECT m.household_id, m.county_code, m.income_year - 1 AS income_year
    FROM household_months m JOIN unit_keys u ON u.county_code = m.county_code AND u.income_year = m.income_year - 1
    WHERE m.income_month = 1
), back_only AS (
    SELECT household_id, county_code, income_year FROM back ANTI JOIN at_last USING (household_id, county_code, income_year)
), of_the_year AS (      -- of those, the households with a return of the year: one new in October has nothing to
                         -- estimate, and its estimates would read the year's rows for nothing (a province's October:
                         -- ~800 new households; their ids looked up 0.3 s, their rows read whole 0.8 s)
    SELECT DISTINCT household_id FROM household_months
    WHERE income_year IN (SELECT income_year FROM unit_keys) AND household_id IN (SELECT household_id FROM back_only)
)
SELECT household_id, income_year FROM back_only SEMI JOIN of_the_year USING (household_id)
UNION
SELECT g.household_id, g.income_year
FROM household_month_gaps g JOIN unit_keys u USING (county_code, income_year)
WHERE g.after_month IS NULL;
