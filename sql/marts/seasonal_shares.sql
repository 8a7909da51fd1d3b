-- one row per county × target income year × month of the income year, for the county × target year units of
-- registered frame mart_units (county_code, unit = income year): the share of the year's amount of each
-- income component reached by that month, learned from the county's complete income years BEFORE the target
-- year: the mean of each year's median (seasonal_year_shares: over the households present at that month and at
-- year end, of the household's year-to-date amount over its year-end amount, clamped to [0, 1]) weighted by the
-- households with a year-end amount, or the settings' default share (registered frame default_shares) where
-- that history is thin (fewer than $share_min_households household-years). Exact decimals: the same shares
-- whatever the order of the years.
INSERT INTO seasonal_shares
WITH targets AS (
    SELECT county_code, CAST(unit AS INTEGER) AS target_year FROM mart_units
), pooled AS (       -- every complete year before the target year, pooled
    SELECT t.county_code, t.target_year, y.income_month,
           sum(y.household_count) AS household_count,
           string_agg(y.income_year::TEXT, ',' ORDER BY y.income_year) AS history_years,
           (sum(y.wage_share * y.n_wage) / nullif(sum(y.n_wage), 0))::DOUBLE             AS wage_share,
           (sum(y.business_share * y.n_business) / nullif(sum(y.n_business), 0))::DOUBLE AS business_share,
           (sum(y.property_share * y.n_property) / nullif(sum(y.n_property), 0))::DOUBLE AS property_share,
           (sum(y.transfer_share * y.n_transfer) / nullif(sum(y.n_transfer), 0))::DOUBLE AS transfer_share,
           (sum(y.expense_share * y.n_expense) / nullif(sum(y.n_expense), 0))::DOUBLE    AS expense_share
    FROM targets t
    JOIN seasonal_year_shares y ON y.county_code = t.county_code AND y.income_year < t.target_year
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
