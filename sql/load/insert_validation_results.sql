-- one row per run × suite × expectation, from the registered frame batch_results: a run's later batches add
-- their counts to the rows of its earlier ones
MERGE INTO validation_results v
USING batch_results b
   ON v.run_id = b.run_id AND v.suite = b.suite AND v.expectation = b.expectation
WHEN MATCHED THEN UPDATE SET rows_checked = v.rows_checked + b.rows_checked, rows_failed = v.rows_failed + b.rows_failed
WHEN NOT MATCHED THEN INSERT BY NAME;
