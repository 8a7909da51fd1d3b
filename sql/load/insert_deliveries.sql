-- one row per delivery found by the run (or read back from the delivery log when the store is rebuilt), from
-- the registered frame batch_deliveries
INSERT INTO deliveries BY NAME
SELECT * FROM batch_deliveries;
