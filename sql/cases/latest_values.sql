-- one row per household with a household case: its projected per-capita and its labour of the latest month on
-- record (what a dismissal is later compared with; what 风险消除 needs without 兜底保障, as cases/derive reads it)
SELECT household_id, arg_max(projected_per_capita, period) AS projected_per_capita,
       arg_max_null(labor_count, period) AS labor_count  -- a blank latest count: unknown, not an earlier one
FROM case_evidence
GROUP BY household_id;
