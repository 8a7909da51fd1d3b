-- one row per household × month its village's return is missing (no row, though the household has rows in
-- that income year and its county has returns for that month): the year-to-date amounts estimated from the
-- household's nearest months before and after, moved along the county's seasonal shares (interpolated
-- between the two; scaled from one alone). Comparisons with "the same month last year" and "last year's
-- September" read these where the real row is missing. Parameters: $share_min.
CREATE OR REPLACE TABLE household_month_gaps AS
WITH household_years AS (
    SELECT household_id, county_code, income_year, household_size
    FROM household_months
    QUALIFY row_number() OVER (PARTITION BY household_id, income_year ORDER BY income_month DESC) = 1
), county_months AS (
    SELECT county_code, income_year, max(income_month) AS last_month FROM household_months GROUP BY ALL
), cells AS (
    SELECT h.household_id, h.county_code, h.income_year, k.income_month, h.household_size
    FROM household_years h
    JOIN county_months c USING (county_code, income_year)
    CROSS JOIN range(1, 13) AS k(income_month)
    WHERE k.income_month <= c.last_month
      AND NOT EXISTS (SELECT 1 FROM household_months m WHERE m.household_id = h.household_id
                      AND m.income_year = h.income_year AND m.income_month = k.income_month)
), neighbours AS (
    SELECT g.*, b.income_month AS before_month, a.income_month AS after_month,
           b.wage_income AS b_wage, b.business_income AS b_business, b.property_income AS b_property,
           b.transfer_income AS b_transfer, b.business_expense AS b_expense,
           a.wage_income AS a_wage, a.business_income AS a_business, a.property_income AS a_property,
           a.transfer_income AS a_transfer, a.business_expense AS a_expense
    FROM cells g
    ASOF LEFT JOIN household_months b
      ON b.household_id = g.household_id AND b.income_year = g.income_year AND g.income_month > b.income_month
    ASOF LEFT JOIN household_months a
      ON a.household_id = g.household_id AND a.income_year = g.income_year AND g.income_month < a.income_month
), with_shares AS (   -- the county's shares at the missing month and at its neighbours (learned or default)
    SELECT n.*,
           s.wage_share AS s_wage, s.business_share AS s_business, s.property_share AS s_property,
           s.transfer_share AS s_transfer, s.expense_share AS s_expense,
           sb.wage_share AS sb_wage, sb.business_share AS sb_business, sb.property_share AS sb_property,
           sb.transfer_share AS sb_transfer, sb.expense_share AS sb_expense,
           sa.wage_share AS sa_wage, sa.business_share AS sa_business, sa.property_share AS sa_property,
           sa.transfer_share AS sa_transfer, sa.expense_share AS sa_expense
    FROM neighbours n
    JOIN seasonal_shares s
      ON s.county_code = n.county_code AND s.income_year = n.income_year AND s.income_month = n.income_month
    LEFT JOIN seasonal_shares sb
      ON sb.county_code = n.county_code AND sb.income_year = n.income_year AND sb.income_month = n.before_month
    LEFT JOIN seasonal_shares sa
      ON sa.county_code = n.county_code AND sa.income_year = n.income_year AND sa.income_month = n.after_month
), estimated AS (
    SELECT household_id, county_code, income_year, income_month, household_size, before_month, after_month,
           estimate_ytd(b_wage, a_wage, sb_wage, s_wage, sa_wage, $share_min)                 AS wage_income,
           estimate_ytd(b_business, a_business, sb_business, s_business, sa_business, $share_min) AS business_income,
           estimate_ytd(b_property, a_property, sb_property, s_property, sa_property, $share_min) AS property_income,
           estimate_ytd(b_transfer, a_transfer, sb_transfer, s_transfer, sa_transfer, $share_min) AS transfer_income,
           estimate_ytd(b_expense, a_expense, sb_expense, s_expense, sa_expense, $share_min)  AS business_expense
    FROM with_shares
)
SELECT *,
       wage_income + business_income + property_income + transfer_income - business_expense AS ytd_net_income
FROM estimated;
