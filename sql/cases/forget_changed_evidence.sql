-- removes the case_evidence rows this run replaces (those of case_evidence_changes)
DELETE FROM case_evidence e
USING case_evidence_changes c
WHERE e.household_id = c.household_id AND e.period = c.period;
