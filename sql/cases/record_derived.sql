-- cases_derived's one row: what the cases table was just derived with ($derived_with), the events it read (their
-- count and last seq) and the rows it left (their count and the sum of their hashes, order-free)
DELETE FROM cases_derived;
INSERT INTO cases_derived
SELECT $derived_with, count(*), coalesce(max(seq), 0),
       (SELECT count(*) || '/' || coalesce(sum(hash(cases)), 0) FROM cases)
FROM case_events;
