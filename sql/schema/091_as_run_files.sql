-- as_run_files: one row per village × period: the loaded file version that was current at the end of the
-- first run that loaded any file of that village × period (the correction rules of current_files among the
-- files of that run and before). A correction sent in a later run is not in it: the backtest projects each
-- month from these, so that nothing learned later informs an earlier month.
CREATE OR REPLACE VIEW as_run_files AS
WITH first_runs AS (
    SELECT village_code, period, min(ingest_run_id) AS first_run_id
    FROM source_files WHERE status = 'loaded'
    GROUP BY ALL
)
SELECT * EXCLUDE (version_order, first_run_id)
FROM (
    SELECT f.*, r.first_run_id,
           row_number() OVER (PARTITION BY f.village_code, f.period
                              ORDER BY correction_rank DESC, ingest_run_id DESC, file_name DESC, file_id DESC) AS version_order
    FROM source_files f
    JOIN first_runs r ON r.village_code = f.village_code AND r.period = f.period
    WHERE f.status = 'loaded' AND f.ingest_run_id <= r.first_run_id
)
WHERE version_order = 1;

-- mart_unit_files: the files whose rows month_rows_of reads (filled by sql/marts/unit_files.sql just before).
CREATE TABLE IF NOT EXISTS mart_unit_files (file_id INTEGER);
-- month_rows_of(): one row per household × period of the files of mart_unit_files: the figures the projection and the flags read, with county and
-- township codes, income year and month, and the year-to-date net income (wage + business + property +
-- transfer − business expense). Names, IDs and the
-- guarantee columns stay in return_rows (file_id, source_row): only the as-of year's rows need them.
CREATE OR REPLACE MACRO month_rows_of() AS TABLE
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
SEMI JOIN mart_unit_files USING (file_id)
WHERE NOT is_quarantined AND household_id IS NOT NULL AND household_size > 0
-- a household twice in one period cannot pass validation (ROW_DUPLICATE within a file, ROW_HOUSEHOLD_ID ties
-- the id to the file's village, one current file per village × period); keep one row anyway so joins never multiply
QUALIFY row_number() OVER (PARTITION BY household_id, period ORDER BY file_id DESC, source_row) = 1;
