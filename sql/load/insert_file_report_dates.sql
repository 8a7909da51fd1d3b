-- one row per file of the batch with rows: its rows' latest 填报日期 (file_report_dates), from the registered frame
-- batch_rows
INSERT INTO file_report_dates
SELECT file_id, max(report_date) FROM batch_rows GROUP BY file_id;
