-- the value each case named in $case_ids (the dismissed ones of an imported workbook) was opened with (its first
-- 'opened' event, as cases/derive reads it): what the case carries again when a later decision takes back its
-- dismissal (the dismissal's own value replaced it)
SELECT case_id, evidence_value
FROM case_events
WHERE event = 'opened' AND list_contains($case_ids, case_id)
QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY seq) = 1;
