-- a store made before unit_stamps_kept (sql/schema/093_unit_stamps.sql) names every village × month stale, in the
-- transaction that creates it (and county_stamps_kept, made from it): its first reader computes them all
-- (file_digests, a mart table, may not exist yet)
INSERT INTO unit_stamps_stale
SELECT DISTINCT village_code, period FROM source_files WHERE village_code IS NOT NULL AND period IS NOT NULL;
