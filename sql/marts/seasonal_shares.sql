-- one row per county × target income year × month of the income year, for the county × target year units of
-- registered frame mart_units (county_code, unit = income year): the share of the year's amount of each
-- income component reached by that month, learned from the county's complete income years BEFORE the target
-- year: the median, over households present at that month and at year end, of the household's year-to-date
-- amount over its year-end amount (a median, so that one mistyped huge figure cannot bend a county's
-- profile), or the settings' default share (registered frame default_shares) where that history is thin.
-- Parameters: $share_min_households.
INSERT INTO seasonal_shares
WITH targets AS (
    SELECT county_code, CAST(unit AS INTEGER) AS target_year FROM mart_units
), county_months AS (
    SELECT * FROM household_months WHERE county_code IN (SELECT county_code FROM targets)
), year_end AS (
    SELECT household_id, income_year, wage_income, business_income, property_income, transfer_income,
           business_expense
    FROM county_months
    WHERE income_month = 12
), history AS (      -- one row per household × complete income year × month: its share reached by the month
    SELECT m.county_code, m.income_year AS history_year, m.income_month,
           m.wage_income / nullif(e.wage_income, 0)           AS wage_share,
           m.business_income / nullif(e.business_income, 0)   AS business_share,
           m.property_income / nullif(e.property_income, 0)   AS property_share,
           m.transfer_income / nullif(e.transfer_income, 0)   AS transfer_share,
           m.business_expense / nullif(e.business_expense, 0) AS expense_share
    FROM county_months m
    JOIN year_end e USING (household_id, income_year)
), pooled AS (       -- every complete year before the target year, pooled
    SELECT t.county_code, t.target_year, h.income_month,
           count(*) AS household_count,
           string_agg(DISTINCT h.history_year::TEXT, ',' ORDER BY h.history_year::TEXT) AS history_years,
           median(h.wage_share)     AS wage_share,
           median(h.business_share) AS business_share,
           median(h.property_share) AS property_share,
           median(h.transfer_share) AS transfer_share,
           median(h.expense_share)  AS expense_share
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
