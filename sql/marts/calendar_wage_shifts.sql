-- one row per household × through year × festival month × month of the income year where the household's wages
-- came as a Spring Festival lump (at least $festival_lump_min of the year's wage in its festival month, registered
-- frame festival_months) in some complete year up to h: the running sum, over those years, of what moving the
-- lump to that festival month changes in the wage share reached by the month (a lump that came in February moved
-- to January: January expects it; the festival months are at most one month apart). calendar_sums holds the
-- wages as they came; a target year's calendar adds the shifts of its own festival month. For the county ×
-- income year units of registered frame mart_units (all units of one year), after calendar_sums for them.
INSERT INTO calendar_wage_shifts
WITH units AS (
    SELECT county_code, CAST(unit AS INTEGER) AS through_year FROM mart_units
), previous AS (       -- the shifts of the same earlier year calendar_sums extended (previous_sums_years)
    SELECT p.through_year AS unit_year, s.* EXCLUDE (through_year)
    FROM previous_sums_years p
    JOIN calendar_wage_shifts s ON s.county_code = p.county_code AND s.through_year = p.previous_year
), wages AS (            -- year h's wage share reached by each month, with the months before and after
    SELECT m.county_code, m.household_id, m.income_year AS unit_year, m.income_month, f.festival_month,
           least(greatest(m.wage_income / nullif(e.wage_income, 0), 0), 1) AS wage
    FROM household_months m
    JOIN units u ON u.county_code = m.county_code AND u.through_year = m.income_year
    JOIN household_months e
      ON e.household_id = m.household_id AND e.income_year = m.income_year AND e.income_month = 12
     AND e.county_code = m.county_code AND e.wage_income <> 0
    JOIN festival_months f ON f.income_year = m.income_year
), neighbours AS (
    SELECT *, lag(wage) OVER w AS wage_before, lead(wage) OVER w AS wage_after
    FROM wages
    WINDOW w AS (PARTITION BY household_id, unit_year ORDER BY income_month)
), lumps AS (
    SELECT * FROM neighbours
    QUALIFY coalesce(max(CASE WHEN income_month = festival_month THEN wage - coalesce(wage_before, 0) END)
                     OVER (PARTITION BY household_id, unit_year) >= $festival_lump_min, false)
), this_year AS (
    SELECT n.county_code, n.household_id, n.unit_year, v.festival_month AS target_festival, n.income_month,
           CASE WHEN v.festival_month < n.festival_month THEN coalesce(n.wage_after, n.wage)
                ELSE coalesce(n.wage_before, 0) END::DECIMAL(18, 12) - n.wage::DECIMAL(18, 12) AS wage_shift
    FROM lumps n
    JOIN (SELECT DISTINCT festival_month FROM festival_months) v
      ON (v.festival_month < n.festival_month AND n.income_month >= v.festival_month
          AND n.income_month < n.festival_month)
      OR (v.festival_month > n.festival_month AND n.income_month >= n.festival_month
          AND n.income_month < v.festival_month)
)
SELECT coalesce(y.county_code, p.county_code) AS county_code,
       coalesce(y.household_id, p.household_id) AS household_id,
       coalesce(y.unit_year, p.unit_year) AS through_year,
       coalesce(y.target_festival, p.target_festival) AS target_festival,
       coalesce(y.income_month, p.income_month) AS income_month,
       coalesce(p.wage_shift, 0) + coalesce(y.wage_shift, 0) AS wage_shift
FROM this_year y
FULL JOIN previous p
  ON p.household_id = y.household_id AND p.unit_year = y.unit_year AND p.target_festival = y.target_festival
 AND p.income_month = y.income_month AND p.county_code = y.county_code;
