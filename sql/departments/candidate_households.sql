-- one row per household a department record can be about: a registered member's, or one whose return (up to
-- $as_of) names the record's ID number as head (the registered frame department_ids: the records' ID numbers).
-- Heads are compared by hash: the same households (a collision adds one, harmless: the records are matched to
-- the latest head after), 2-3 times faster at city than comparing the IDs' text, whose semi-join DuckDB built on
-- every return row (benchmarks/performance_notes.md, twenty-second round)
SELECT DISTINCT household_id FROM households_current
WHERE period <= $as_of AND household_id IS NOT NULL
  AND hash(head_id_number) IN (SELECT hash(id_number) FROM department_ids)
UNION
SELECT household_id FROM registry_members WHERE id_number IN (SELECT id_number FROM department_ids);
