-- one row per files row of the batch, from the registered frame batch_files
INSERT INTO department_files BY NAME
SELECT * FROM batch_files;
