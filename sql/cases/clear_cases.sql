-- empties the derived cases table before sql/cases/derive.sql refills it (in one transaction)
DELETE FROM cases;
