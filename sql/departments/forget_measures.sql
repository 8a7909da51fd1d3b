-- removes the record of measures changed by CLUEs (written again for the as-of month)
DELETE FROM department_measures;
