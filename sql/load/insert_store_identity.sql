-- the store's id, given by its first run (see sql/schema/027_store_identity.sql)
INSERT INTO store_identity VALUES ($store_id);
