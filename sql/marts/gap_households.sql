-- the household-years of the county × income year units registered as mart_units whose gaps
-- marts/household_month_gaps estimates: those with fewer returns than their county's months of the year (most have
-- all), made the temporary gap_households
CREATE OR REPLACE TEMP TABLE gap_households AS
WITH unit_keys AS (
    SELECT county_code, CAST(unit AS INTEGER) AS income_year FROM mart_units
), county_months AS (    -- the months a return of the county was usable (as those of any of its villages)
    SELECT m.county_code, m.income_year, min(m.income_month) AS first_month, max(m.income_month) AS last_month
    FROM household_months m JOIN unit_keys u USING (county_code, income_year) GROUP BY ALL
), counted AS (          -- returns per household × county × year, counted before the county's months are joined
                         -- (joined to every row first, a province's year took 2.8 s instead of 2.0 s)
    SELECT m.household_id, m.income_year, m.county_code, count(*) AS months
    FROM household_months m JOIN unit_keys u USING (county_code, income_year) GROUP BY ALL
)
SELECT m.household_id, m.income_year
FROM counted m JOIN county_months c USING (county_code, income_year)
GROUP BY m.household_id, m.income_year, c.first_month, c.last_month
HAVING sum(m.months) < c.last_month - c.first_month + 1;
