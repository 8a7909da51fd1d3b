-- one row per county × complete income year × month of the income year, for the county × income year units of
-- registered frame mart_units (unit = a complete income year): over the county's households present at that
-- month and at year end, how many they are and, per income component, how many have a year-end amount and the
-- median of their year-to-date amount over it (a median, so that one mistyped huge figure cannot bend a
-- county's profile), clamped to [0, 1], an exact decimal. seasonal_shares pools a target's earlier years from
-- these rows, so a new year reads one row per county × year × month, not the history.
INSERT INTO seasonal_year_shares
WITH units AS (
    SELECT county_code, CAST(unit AS INTEGER) AS income_year FROM mart_units
), ratios AS (
    SELECT m.county_code, m.income_year, m.income_month,
           m.wage_income / nullif(e.wage_income, 0)           AS wage,
           m.business_income / nullif(e.business_income, 0)   AS business,
           m.property_income / nullif(e.property_income, 0)   AS property,
           m.transfer_income / nullif(e.transfer_income, 0)   AS transfer,
           m.business_expense / nullif(e.business_expense, 0) AS expense
    FROM household_months m
    JOIN units u ON u.county_code = m.county_code AND u.income_year = m.income_year
    JOIN household_months e
      ON e.household_id = m.household_id AND e.income_year = m.income_year AND e.income_month = 12
     AND e.county_code = m.county_code
)
SELECT county_code, income_year, income_month, count(*) AS household_count,
       count(wage) AS n_wage,         least(greatest(median(wage), 0), 1)::DECIMAL(18, 12)     AS wage_share,
       count(business) AS n_business, least(greatest(median(business), 0), 1)::DECIMAL(18, 12) AS business_share,
       count(property) AS n_property, least(greatest(median(property), 0), 1)::DECIMAL(18, 12) AS property_share,
       count(transfer) AS n_transfer, least(greatest(median(transfer), 0), 1)::DECIMAL(18, 12) AS transfer_share,
       count(expense) AS n_expense,   least(greatest(median(expense), 0), 1)::DECIMAL(18, 12)  AS expense_share
FROM ratios
GROUP BY ALL;
