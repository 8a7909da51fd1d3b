-- one row per household × period of the current returns (quarantined rows excluded): the figures the
-- projection and the flags read, with county and township codes, income year and month, and the
-- year-to-date net income (wage + business + property + transfer − business expense).
CREATE OR REPLACE TABLE household_months AS
SELECT left(village_code, 6)                        AS county_code,
       left(village_code, 9)                        AS township_code,
       village_code,
       household_id,
       head_name,
       head_id_number,
       household_type,
       household_size,
       labor_count,
       period,
       income_year_of(period)                       AS income_year,
       income_month_of(period)                      AS income_month,
       coalesce(wage_income, 0)                     AS wage_income,
       coalesce(business_income, 0)                 AS business_income,
       coalesce(property_income, 0)                 AS property_income,
       coalesce(transfer_income, 0)                 AS transfer_income,
       coalesce(business_expense, 0)                AS business_expense,
       coalesce(wage_income, 0) + coalesce(business_income, 0) + coalesce(property_income, 0)
         + coalesce(transfer_income, 0) - coalesce(business_expense, 0) AS ytd_net_income,
       last_year_per_capita,
       housing_safe,
       water_safe,
       dropout_count,
       insured_count,
       risk_causes
FROM households_current
WHERE household_id IS NOT NULL AND household_size > 0
-- a household twice in one period cannot pass validation; keep one row anyway so joins never multiply
QUALIFY row_number() OVER (PARTITION BY household_id, period ORDER BY file_id DESC, source_row) = 1;
