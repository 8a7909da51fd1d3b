-- removes every finding before the as-of month's are stored (the table holds the latest run's as-of month)
DELETE FROM department_findings;
