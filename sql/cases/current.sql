-- one row per subject × kind: the state of its latest case (what a run's openings and closings are judged on)
SELECT case_id, kind, subject_key, household_id, status, opened_period, closed_period, case_number, conclusion,
       measures, actor, decided_on, note, evidence_value, detail
FROM cases
QUALIFY case_number = max(case_number) OVER (PARTITION BY kind, subject_key)
ORDER BY case_id;
