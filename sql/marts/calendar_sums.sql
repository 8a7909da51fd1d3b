-- one row per household × through year × month of the income year, for the county × income year units of
-- registered frame mart_units (county_code, unit = a complete income year h; all units of one year): the running
-- counts and sums, over the household's complete income years up to h, of each income component's share of the
-- year's amount reached by that month (year_share: clamped to [0, 1], an exact decimal, none in a year without that
-- component, so a household without wages teaches no wage calendar; the same sums whatever the
-- order of the years or rows, so kept marts equal a rebuild): the county's latest earlier sums (if any) plus year
-- h's own shares. calendar_shares reads them, so a new year's calendars read one row per household × month, not
-- every past year. The wages are summed as they came; calendar_wage_shifts holds what moving a festival lump
-- changes.
INSERT INTO calendar_sums
WITH units AS (
    SELECT county_code, CAST(unit AS INTEGER) AS through_year FROM mart_units
), previous AS (       -- the county's latest earlier sums (previous_sums_years, made first)
    SELECT p.through_year AS unit_year, s.* EXCLUDE (through_year)
    FROM previous_sums_years p
    JOIN calendar_sums s ON s.county_code = p.county_code AND s.through_year = p.previous_year
), this_year AS (        -- year h's shares reached by each month, one row per household × month
    SELECT m.county_code, m.village_code, m.household_id, m.income_year AS unit_year, m.income_month,
           year_share(m.wage_income, e.wage_income) AS wage,
           year_share(m.business_income, e.business_income) AS business,
           year_share(m.property_income, e.property_income) AS property,
           year_share(m.transfer_income, e.transfer_income) AS transfer,
           year_share(m.business_expense, e.business_expense) AS expense
    FROM household_months m
    JOIN units u ON u.county_code = m.county_code AND u.through_year = m.income_year
    JOIN household_months e
      ON e.household_id = m.household_id AND e.income_year = m.income_year AND e.income_month = 12
     AND e.county_code = m.county_code
)
SELECT coalesce(y.county_code, p.county_code) AS county_code,
       coalesce(y.village_code, p.village_code) AS village_code,  -- the latest year's village
       coalesce(y.household_id, p.household_id) AS household_id,
       coalesce(y.unit_year, p.unit_year) AS through_year,
       coalesce(y.income_month, p.income_month) AS income_month,
       coalesce(p.n_wage, 0) + (y.wage IS NOT NULL)::INTEGER            AS n_wage,
       coalesce(p.wage, 0) + coalesce(y.wage, 0)                         AS wage,
       coalesce(p.n_business, 0) + (y.business IS NOT NULL)::INTEGER    AS n_business,
       coalesce(p.business, 0) + coalesce(y.business, 0)                 AS business,
       coalesce(p.n_property, 0) + (y.property IS NOT NULL)::INTEGER    AS n_property,
       coalesce(p.property, 0) + coalesce(y.property, 0)                 AS property,
       coalesce(p.n_transfer, 0) + (y.transfer IS NOT NULL)::INTEGER    AS n_transfer,
       coalesce(p.transfer, 0) + coalesce(y.transfer, 0)                 AS transfer,
       coalesce(p.n_expense, 0) + (y.expense IS NOT NULL)::INTEGER      AS n_expense,
       coalesce(p.expense, 0) + coalesce(y.expense, 0)                   AS expense
FROM this_year y
FULL JOIN previous p
  ON p.household_id = y.household_id AND p.unit_year = y.unit_year AND p.income_month = y.income_month
 AND p.county_code = y.county_code;
