-- one row per household × period of the county × period units of registered frame mart_units (county_code,
-- unit = period) in the temporary projection_months (household_months itself, or the backtest's rows as they
-- were when each month was run): the projected year-end net income and per-capita net income (on the
-- household's current size) by three methods: seasonal (its own calendar, calendar_shares: the household's
-- row, else its village's, else its county's, else the county's shares), county_shares (one county curve for everybody, the
-- method before issue 17) and naive (year to date × 12 / month); history_years: the years of the household's own
-- calendar (0: its village's), which its band narrows with. Parameters: $share_min, $blend.
CREATE OR REPLACE TEMP TABLE household_projections AS
WITH unit_months AS (
    SELECT m.* FROM projection_months m
    JOIN mart_units u ON u.county_code = m.county_code AND u.unit = m.period
), unit_years AS (
    SELECT DISTINCT county_code, income_year FROM unit_months
), unit_calendars AS (  -- the units' households' calendars first: joined whole, 45 million rows cost 9 s a night
    SELECT c.* FROM calendar_shares c
    SEMI JOIN (SELECT DISTINCT county_code, income_year, income_month FROM unit_months) u
      ON u.county_code = c.county_code AND u.income_year = c.income_year AND u.income_month = c.income_month
    WHERE c.household_id <> ''
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
), shares AS (
    SELECT m.*, s.is_learned, coalesce(h.history_years, 0) AS history_years,
           coalesce(h.wage_share, v.wage_share, c.wage_share, s.wage_share)             AS wage_share,
           coalesce(h.business_share, v.business_share, c.business_share, s.business_share) AS business_share,
           coalesce(h.property_share, v.property_share, c.property_share, s.property_share) AS property_share,
           coalesce(h.transfer_share, v.transfer_share, c.transfer_share, s.transfer_share) AS transfer_share,
           coalesce(h.expense_share, v.expense_share, c.expense_share, s.expense_share)    AS expense_share,
           round(project_component(m.wage_income, s.wage_share, y.wage_income, m.income_month, $share_min)
         + project_component(m.business_income, s.business_share, y.business_income, m.income_month, $share_min)
         + project_component(m.property_income, s.property_share, y.property_income, m.income_month, $share_min)
         + project_component(m.transfer_income, s.transfer_share, y.transfer_income, m.income_month, $share_min)
         - project_component(m.business_expense, s.expense_share, y.business_expense, m.income_month, $share_min), 6)
             AS county_net_income,
           y.wage_income AS last_wage, y.business_income AS last_business, y.property_income AS last_property,
           y.transfer_income AS last_transfer, y.business_expense AS last_expense
    FROM unit_months m
    JOIN seasonal_shares s USING (county_code, income_year, income_month)
    LEFT JOIN unit_calendars h
      ON h.household_id = m.household_id AND h.income_year = m.income_year AND h.income_month = m.income_month
    LEFT JOIN calendar_shares v
      ON v.household_id = '' AND v.village_code = m.village_code AND v.income_year = m.income_year
     AND v.income_month = m.income_month
    LEFT JOIN calendar_shares c     -- a village with no history of its own: the county's calendar
      ON c.household_id = '' AND c.village_code = '' AND c.county_code = m.county_code
     AND c.income_year = m.income_year AND c.income_month = m.income_month
    LEFT JOIN last_year y ON y.household_id = m.household_id AND y.income_year = m.income_year
), projected AS (
    SELECT * EXCLUDE (wage_share, business_share, property_share, transfer_share, expense_share, last_wage,
                      last_business, last_property, last_transfer, last_expense),
           -- to a millionth of a yuan, as the year to date (month_rows_of): at month 12 the actual components' sum
           -- must not fall a binary rounding error short of the line
           round(project_calendar(wage_income, wage_share, last_wage, income_month, $share_min, $blend)
         + project_calendar(business_income, business_share, last_business, income_month, $share_min, $blend)
         + project_calendar(property_income, property_share, last_property, income_month, $share_min, $blend)
         + project_calendar(transfer_income, transfer_share, last_transfer, income_month, $share_min, $blend)
         - project_calendar(business_expense, expense_share, last_expense, income_month, $share_min, $blend), 6)
             AS projected_net_income
    FROM shares
)
SELECT *,
       projected_net_income / household_size                    AS projected_per_capita,
       county_net_income / household_size                       AS county_per_capita,
       ytd_net_income * 12.0 / income_month / household_size    AS naive_per_capita
FROM projected;
