-- the temporary derive_scope: the cases a derivation reads again while the cases table holds the derivation of every
-- event up to $last_seq (cases_derived): the cases of the events recorded since, the assisting cases (whether one is
-- a removal candidate moves with its household's months and the as-of month), and every case of the same kind and
-- subject as one of those (a case's number counts the cases of its subject opened before it)
CREATE OR REPLACE TEMP TABLE derive_scope AS
WITH touched AS (
    SELECT case_id FROM case_events WHERE seq > $last_seq
    UNION
    SELECT case_id FROM cases WHERE status = 'assisting'
), subjects AS (
    SELECT DISTINCT kind, subject_key
    FROM case_events
    WHERE event = 'opened' AND case_id IN (SELECT case_id FROM touched)
)
SELECT case_id FROM touched
UNION
SELECT e.case_id
FROM case_events e
SEMI JOIN subjects s ON s.kind IS NOT DISTINCT FROM e.kind AND s.subject_key IS NOT DISTINCT FROM e.subject_key
WHERE e.event = 'opened';
