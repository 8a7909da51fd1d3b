-- one row per inbox path of the registered frame listed_paths (path) on record: the content it last held (its
-- latest delivery; for a path first seen before the delivery log existed, what delivered_paths recorded)
SELECT path, coalesce(d.sha256, p.sha256) AS sha256
FROM (SELECT * FROM delivered_paths WHERE path IN (SELECT path FROM listed_paths)) p
FULL JOIN (SELECT path, arg_max(sha256, delivery_id) AS sha256 FROM deliveries
           WHERE path IN (SELECT path FROM listed_paths) GROUP BY path) d USING (path);
