-- one row per county × target income year × month of the income year: the share of the year's amount of
-- each income component reached by that month, learned from the county's complete income years BEFORE
-- the target year (ratio of sums over households present both at that month and at year end), or the
-- settings' default share (registered frame default_shares) where that history is thin.
-- Parameters: $share_min_households.
CREATE OR REPLACE TABLE seasonal_shares AS
WITH year_end AS (
    SELECT household_id, income_year, wage_income, business_income, property_income, transfer_income,
           business_expense
    FROM household_months
    WHERE income_month = 12
), history AS (      -- one row per county × complete income year × month: sums at the month and at year end
    SELECT m.county_code, m.income_year AS history_year, m.income_month,
           count(*)               AS household_count,
           sum(m.wage_income)     AS wage_at,     sum(e.wage_income)      AS wage_end,
           sum(m.business_income) AS business_at, sum(e.business_income)  AS business_end,
           sum(m.property_income) AS property_at, sum(e.property_income)  AS property_end,
           sum(m.transfer_income) AS transfer_at, sum(e.transfer_income)  AS transfer_end,
           sum(m.business_expense) AS expense_at, sum(e.business_expense) AS expense_end
    FROM household_months m
    JOIN year_end e USING (household_id, income_year)
    GROUP BY ALL
), targets AS (
    SELECT DISTINCT county_code, income_year AS target_year FROM household_months
), pooled AS (       -- every complete year before the target year, pooled
    SELECT t.county_code, t.target_year, h.income_month,
           sum(h.household_count) AS household_count,
           string_agg(DISTINCT h.history_year::TEXT, ',' ORDER BY h.history_year::TEXT) AS history_years,
           sum(wage_at) / nullif(sum(wage_end), 0)         AS wage_share,
           sum(business_at) / nullif(sum(business_end), 0) AS business_share,
           sum(property_at) / nullif(sum(property_end), 0) AS property_share,
           sum(transfer_at) / nullif(sum(transfer_end), 0) AS transfer_share,
           sum(expense_at) / nullif(sum(expense_end), 0)   AS expense_share
    FROM targets t
    JOIN history h ON h.county_code = t.county_code AND h.history_year < t.target_year
    GROUP BY ALL
), learned AS (
    SELECT * FROM pooled WHERE household_count >= $share_min_households
)
SELECT t.county_code,
       t.target_year                                                   AS income_year,
       d.income_month,
       l.history_years IS NOT NULL                                     AS is_learned,
       l.history_years,
       least(greatest(coalesce(l.wage_share, d.wage_share), 0), 1)         AS wage_share,
       least(greatest(coalesce(l.business_share, d.business_share), 0), 1) AS business_share,
       least(greatest(coalesce(l.property_share, d.property_share), 0), 1) AS property_share,
       least(greatest(coalesce(l.transfer_share, d.transfer_share), 0), 1) AS transfer_share,
       least(greatest(coalesce(l.expense_share, d.expense_share), 0), 1)   AS expense_share
FROM targets t
CROSS JOIN default_shares d
LEFT JOIN learned l
  ON l.county_code = t.county_code AND l.target_year = t.target_year AND l.income_month = d.income_month;
