-- one row per household × period of the county × period units of registered frame mart_units (county_code,
-- unit = period), into the temporary month_rows: the figures the projection and the flags read, with county
-- and township codes, income year and month, and the year-to-date net income (wage + business + property +
-- transfer − business expense), from the current file versions, or with $as_run from the versions current
-- when that month was first run (as_run_files: what the backtest may know at that month). Names, IDs and the
-- guarantee columns stay in return_rows (file_id, source_row): only the as-of year's rows need them.
CREATE OR REPLACE TEMP TABLE month_rows AS
WITH unit_files AS (
    SELECT c.file_id
    FROM current_files c
    JOIN mart_units u ON u.county_code = left(c.village_code, 6) AND u.unit = c.period
    WHERE NOT $as_run
    UNION ALL
    SELECT a.file_id
    FROM as_run_files a
    JOIN mart_units u ON u.county_code = left(a.village_code, 6) AND u.unit = a.period
    WHERE $as_run
)
SELECT left(village_code, 6)                        AS county_code,
       left(village_code, 9)                        AS township_code,
       village_code,
       household_id,
       file_id,
       source_row,
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
       last_year_per_capita
FROM return_rows
SEMI JOIN unit_files USING (file_id)
WHERE NOT is_quarantined AND household_id IS NOT NULL AND household_size > 0
-- a household twice in one period cannot pass validation (ROW_DUPLICATE within a file, ROW_HOUSEHOLD_ID ties
-- the id to the file's village, one current file per village × period); keep one row anyway so joins never multiply
QUALIFY row_number() OVER (PARTITION BY household_id, period ORDER BY file_id DESC, source_row) = 1
ORDER BY period;  -- stored by month, so that a year's or a month's rows are read alone
