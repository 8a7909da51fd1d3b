-- fills file_missing_households (sql/schema/095_data_missing.sql) from every file's stored rows and problems, in
-- the transaction that creates it in a store made before it: the rows the load writes for each file
INSERT INTO file_missing_households
SELECT * FROM missing_households_of('return_rows', 'problems');
