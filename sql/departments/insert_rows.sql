-- one row per rows row of the batch, from the registered frame batch_rows
INSERT INTO department_rows BY NAME
SELECT * FROM batch_rows;
