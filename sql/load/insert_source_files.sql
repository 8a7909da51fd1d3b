-- one row per new file (content hash × name) of the batch, from the registered frame batch_files
INSERT INTO source_files BY NAME
SELECT * FROM batch_files;
