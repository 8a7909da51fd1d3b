-- the cases of derived_cases the cases table does not hold (new, or removed by cases/forget_changed)
INSERT INTO cases SELECT * FROM derived_cases ANTI JOIN cases USING (case_id);
