-- the temporary derived_cases, empty, with the cases table's columns in its order (cases/derive fills it)
CREATE OR REPLACE TEMP TABLE derived_cases AS FROM cases LIMIT 0;
