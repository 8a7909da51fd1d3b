-- fills file_report_dates (sql/schema/030_returns.sql) from every file's stored rows, in the transaction that creates
-- it in a store made before it
INSERT INTO file_report_dates
SELECT file_id, max(report_date) FROM return_rows GROUP BY file_id;
