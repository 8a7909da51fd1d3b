-- one row per household row of the batch's loaded files, from the registered frame batch_rows
INSERT INTO return_rows BY NAME
SELECT * FROM batch_rows;
