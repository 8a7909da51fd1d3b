-- names in current_files_stale the village × months a batch touched: those of its files (registered frame
-- batch_file_ids) and of the files its deliveries name (registered frame batch_delivery_keys: sha256, file_name)
INSERT INTO current_files_stale
SELECT village_code, period FROM source_files SEMI JOIN batch_file_ids USING (file_id)
UNION
SELECT village_code, period FROM source_files SEMI JOIN batch_delivery_keys USING (sha256, file_name);
