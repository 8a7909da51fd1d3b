-- one row per problems row of the batch, from the registered frame batch_problems
INSERT INTO department_problems BY NAME
SELECT * FROM batch_problems;
