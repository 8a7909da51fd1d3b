-- one row: how many deliveries the store holds and the highest delivery id (0 when none)
SELECT count(*), coalesce(max(delivery_id), 0) FROM deliveries;
