-- one row per expectation run, from the registered frame batch_results
INSERT INTO validation_results BY NAME
SELECT * FROM batch_results;
