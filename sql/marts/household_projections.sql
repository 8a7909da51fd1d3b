-- one row per household × period of the county × period units of registered frame mart_units (county_code,
-- unit = period): the projected year-end net income and per-capita net income, seasonal (shares learned from
-- the county's earlier complete years, see seasonal_shares) and naive (year to date × 12 / month), beside
-- the household's row of household_months. Parameters: $share_min.
CREATE OR REPLACE TEMP TABLE household_projections AS
WITH unit_months AS (
    SELECT m.* FROM household_months m
    JOIN mart_units u ON u.county_code = m.county_code AND u.unit = m.period
), unit_years AS (
    SELECT DISTINCT county_code, income_year FROM unit_months
), last_year AS (   -- each income year's September figures (estimated where that return is missing), for the year after
    SELECT household_id, m.income_year + 1 AS income_year, wage_income, business_income, property_income,
           transfer_income, business_expense
    FROM household_months m
    JOIN unit_years u ON u.county_code = m.county_code AND u.income_year = m.income_year + 1
    WHERE income_month = 12
    UNION ALL
    SELECT household_id, g.income_year + 1 AS income_year, wage_income, business_income, property_income,
           transfer_income, business_expense
    FROM household_month_gaps g
    JOIN unit_years u ON u.county_code = g.county_code AND u.income_year = g.income_year + 1
    WHERE income_month = 12
), projected AS (
    SELECT m.*, s.is_learned,
           project_component(m.wage_income, s.wage_share, y.wage_income, m.income_month, $share_min)
         + project_component(m.business_income, s.business_share, y.business_income, m.income_month, $share_min)
         + project_component(m.property_income, s.property_share, y.property_income, m.income_month, $share_min)
         + project_component(m.transfer_income, s.transfer_share, y.transfer_income, m.income_month, $share_min)
         - project_component(m.business_expense, s.expense_share, y.business_expense, m.income_month, $share_min)
             AS projected_net_income
    FROM unit_months m
    JOIN seasonal_shares s USING (county_code, income_year, income_month)
    LEFT JOIN last_year y USING (household_id, income_year)
)
SELECT *,
       projected_net_income / household_size                    AS projected_per_capita,
       ytd_net_income * 12.0 / income_month / household_size    AS naive_per_capita
FROM projected;
