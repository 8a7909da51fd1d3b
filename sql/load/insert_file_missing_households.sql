-- one row per household of the batch's files whose every row in its file is quarantined (file_missing_households),
-- from the registered frames batch_rows and batch_problems
INSERT INTO file_missing_households
SELECT * FROM missing_households_of('batch_rows', 'batch_problems');
