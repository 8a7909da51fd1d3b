-- one row per household × period whose measure CLUEs change, from the registered frame changed_measures
INSERT INTO department_measures BY NAME
SELECT * FROM changed_measures WHERE applied_measure IS DISTINCT FROM base_measure;
