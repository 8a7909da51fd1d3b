-- every decision applied to the cases named in $case_ids (in force or since replaced, or kept as superseded), as
-- the case's state after it: what a workbook exported at some time showed in its five decision cells; with its
-- order (seq), its own cells (detail) and the value a dismissal kept, for replaying them in 核查日期 order. $events:
-- the events read ('decision', 'superseded'; or 'replayed', the states a replay left, which an export showed too)
SELECT case_id, seq, conclusion, measures, actor, decided_on, note, evidence_value, detail
FROM case_events
WHERE list_contains($events, event) AND list_contains($case_ids, case_id)
ORDER BY seq DESC;
