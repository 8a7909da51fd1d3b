-- one row per unit of the reference list, replacing the previous list (from the registered frame units)
INSERT OR REPLACE INTO admin_units BY NAME
SELECT * FROM units;
