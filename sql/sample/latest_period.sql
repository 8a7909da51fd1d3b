-- one row: the latest month household_status describes (the default sample month), NULL when it is empty
SELECT max(period) AS period FROM household_status;
