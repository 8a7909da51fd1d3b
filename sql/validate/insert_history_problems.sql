-- one row per history problem found, from the registered frame found_history_problems
INSERT INTO history_problems BY NAME
SELECT * FROM found_history_problems;
