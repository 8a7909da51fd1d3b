-- of the cases named in $case_ids that are closed or dismissed, the case now active (open, confirmed, assisting) for
-- the same subject × kind, opened after it: the 台账编号 a decision refused on the closed one belongs on now
SELECT c.case_id AS named, n.case_id, n.status
FROM cases c
JOIN cases n ON n.kind = c.kind AND n.subject_key = c.subject_key AND n.case_number > c.case_number
WHERE list_contains($case_ids, c.case_id) AND c.status IN ('closed', 'dismissed')
  AND n.status IN ('open', 'confirmed', 'assisting');
