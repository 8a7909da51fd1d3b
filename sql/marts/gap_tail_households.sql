-- the household-years of the county × income year units registered as mart_units whose estimates after their last
-- return of the year (up to their county's last month) the next October alone may change, made the temporary
-- gap_households: those with such estimates now (an October corrected may drop them), and those in their county's
-- next October but not in its last month of the year (an October may bring them back). A household in that last
-- month has no month after its last return. More households than these would be estimated the same, only slower.
CREATE OR REPLACE TEMP TABLE gap_households AS
WITH unit_keys AS (
    SELECT county_code, CAST(unit AS INTEGER) AS income_year FROM mart_units
), county_last AS (
    SELECT m.county_code, m.income_year, max(m.income_month) AS last_month
    FROM household_months m JOIN unit_keys u USING (county_code, income_year) GROUP BY ALL
), at_last AS (
    SELECT m.household_id, m.county_code, m.income_year
    FROM household_months m JOIN county_last c
      ON c.county_code = m.county_code AND c.income_year = m.income_year AND c.last_month = m.income_month
), back AS (
    SELECT m.household_id, m.county_code, m.income_year - 1 AS income_year
    FROM household_months m JOIN unit_keys u ON u.county_code = m.county_code AND u.income_year = m.income_year - 1
    WHERE m.income_month = 1
)
SELECT household_id, income_year FROM back ANTI JOIN at_last USING (household_id, county_code, income_year)
UNION
SELECT g.household_id, g.income_year
FROM household_month_gaps g JOIN unit_keys u USING (county_code, income_year)
WHERE g.after_month IS NULL;
