-- one row per case: its current state (the cases table), in a stable order
SELECT * FROM cases ORDER BY case_id;
