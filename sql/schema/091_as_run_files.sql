-- as_run_files: one row per village × period: the loaded file version that was current at the end of the
-- first run that loaded any file of that village × period (the correction rules of current_files among the
-- files of that run and before). A correction sent in a later run is not in it: the backtest projects each
-- month from these, so that nothing learned later informs an earlier month.
-- Which run a file came in is told by the delivery log (deliveries: a run's deliveries share its run_id and
-- delivered_at, and ids only grow), which a store rebuilt from the raw store reads back; ingest_run_id would name
-- the rebuilding run for every file. A village × period with a file older than the log (no delivery) goes by ingest_run_id.
CREATE OR REPLACE VIEW as_run_files AS
WITH loaded AS (
    SELECT f.*, d.first_delivery_id
    FROM source_files f
    LEFT JOIN (SELECT sha256, file_name, min(delivery_id) AS first_delivery_id FROM deliveries GROUP BY ALL) d
      USING (sha256, file_name)
    WHERE f.status = 'loaded'
), units AS (
    SELECT village_code, period, bool_and(first_delivery_id IS NOT NULL) AS by_delivery,
           min(first_delivery_id) AS first_delivery_id, min(ingest_run_id) AS first_run_id
    FROM loaded
    GROUP BY ALL
), run_bounds AS (  -- each run's last delivery
    SELECT run_id, delivered_at, max(delivery_id) AS run_end FROM deliveries GROUP BY ALL
), run_ends AS (   -- the last delivery of the run that made each unit's first delivery
    SELECT u.village_code, u.period, b.run_end
    FROM units u
    JOIN deliveries first ON first.delivery_id = u.first_delivery_id
    JOIN run_bounds b ON b.run_id = first.run_id AND b.delivered_at = first.delivered_at
    WHERE u.by_delivery
), standing AS (   -- each file's latest delivery up to that run's end (none: delivered later)
    SELECT l.file_id, max(d.delivery_id) AS delivered_by_then
    FROM loaded l
    JOIN run_ends e ON e.village_code = l.village_code AND e.period = l.period
    JOIN deliveries d ON d.sha256 = l.sha256 AND d.file_name = l.file_name AND d.delivery_id <= e.run_end
    GROUP BY l.file_id
)
SELECT * EXCLUDE (version_order)
FROM (
    SELECT l.* EXCLUDE (first_delivery_id),
           row_number() OVER (PARTITION BY l.village_code, l.period
                              ORDER BY l.correction_rank DESC, s.delivered_by_then DESC NULLS LAST,
                                       l.ingest_run_id DESC, l.file_name DESC, l.file_id DESC) AS version_order
    FROM loaded l
    JOIN units u ON u.village_code = l.village_code AND u.period = l.period
    LEFT JOIN standing s ON s.file_id = l.file_id
    WHERE CASE WHEN u.by_delivery THEN s.delivered_by_then IS NOT NULL ELSE l.ingest_run_id <= u.first_run_id END
)
WHERE version_order = 1;

-- mart_unit_files: the files whose rows month_rows_of reads (filled by sql/marts/unit_files.sql just before).
CREATE TABLE IF NOT EXISTS mart_unit_files (file_id INTEGER);
-- month_rows_of(): one row per household × period of the files of mart_unit_files: the figures the projection and the flags read, with county and
-- township codes, income year and month, and the year-to-date net income (wage + business + property +
-- transfer − business expense, to a millionth of a yuan). Names, IDs and the
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
       -- rounded to a millionth of a yuan: binary floats make 1818.91 + 519.17 + 1078.78 + 583.14 come to
       -- 3999.9999999999995, a household exactly at the line would be below it
       round(coalesce(wage_income, 0) + coalesce(business_income, 0) + coalesce(property_income, 0)
             + coalesce(transfer_income, 0) - coalesce(business_expense, 0), 6) AS ytd_net_income,
       last_year_per_capita
FROM return_rows
SEMI JOIN mart_unit_files USING (file_id)
WHERE NOT is_quarantined AND household_id IS NOT NULL AND household_size > 0
-- a household twice in one period cannot pass validation (ROW_DUPLICATE within a file, ROW_HOUSEHOLD_ID ties
-- the id to the file's village, one current file per village × period); keep one row anyway so joins never multiply
QUALIFY row_number() OVER (PARTITION BY household_id, period ORDER BY file_id DESC, source_row) = 1;
