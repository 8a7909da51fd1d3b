-- the delivery log's last id when the store's first run began (see sql/schema/026_delivery_log_base.sql)
INSERT INTO delivery_log_base VALUES ($last_id);
