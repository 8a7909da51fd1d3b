-- one row per finding, from the registered frame batch_findings
INSERT INTO department_findings BY NAME
SELECT * FROM batch_findings;
