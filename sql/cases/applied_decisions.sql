-- every decision applied to the cases named in $case_ids (in force or since replaced, or kept as superseded), as
-- the case's state after it: what a workbook exported at some time showed in its five decision cells
SELECT case_id, conclusion, measures, actor, decided_on, note
FROM case_events
WHERE event IN ('decision', 'superseded') AND list_contains($case_ids, case_id)
ORDER BY seq DESC;
