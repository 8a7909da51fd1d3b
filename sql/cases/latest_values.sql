-- one row per household with a household case: its projected per-capita of the latest month on record
SELECT household_id, arg_max(projected_per_capita, period) AS projected_per_capita
FROM case_evidence
GROUP BY household_id;
