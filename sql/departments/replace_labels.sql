-- one row per department, event and finding code, from the registered frame labels (the table is emptied first)
INSERT INTO department_labels BY NAME
SELECT * FROM labels;
