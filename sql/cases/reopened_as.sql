-- of the cases named in $case_ids that are closed or dismissed, every case opened after it for the same subject ×
-- kind, oldest first, with its status: an active one (open, confirmed, assisting) is the 台账编号 a decision refused
-- on the closed one belongs on now; any keeps a later decision from taking back a case a person closed (one case per
-- subject × kind at a time)
SELECT c.case_id AS named, n.case_id, n.status
FROM cases c
JOIN cases n ON n.kind = c.kind AND n.subject_key = c.subject_key AND n.case_number > c.case_number
WHERE list_contains($case_ids, c.case_id) AND c.status IN ('closed', 'dismissed')
ORDER BY c.case_id, n.case_number;
