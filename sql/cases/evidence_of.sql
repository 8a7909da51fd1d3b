-- one row per month on record of the households with a confirmed case: what "absent for N months" reads (only a
-- confirmed case closes by it)
SELECT household_id, period, projected_per_capita, monitoring_floor, labor_count, flags
FROM case_evidence
WHERE household_id IN (SELECT household_id FROM cases WHERE household_id IS NOT NULL
                       AND status = 'confirmed')
ORDER BY household_id, period;
