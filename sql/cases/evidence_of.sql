-- one row per month on record of the households with a household case: what "absent for N months" reads
SELECT household_id, period, projected_per_capita, monitoring_floor, labor_count, flags
FROM case_evidence
WHERE household_id IN (SELECT household_id FROM cases WHERE household_id IS NOT NULL
                       AND status IN ('confirmed', 'dismissed'))
ORDER BY household_id, period;
