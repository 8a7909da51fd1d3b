-- one row per problem found in the batch, from the registered frame batch_problems
INSERT INTO problems BY NAME
SELECT * FROM batch_problems;
