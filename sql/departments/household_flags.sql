-- one row per household of candidate_households with a status in $as_of: its flags and projected yearly net income (household total)
SELECT household_id, flags, projected_per_capita * household_size AS projected_net_income
FROM household_status
WHERE period = $as_of AND household_id IN (SELECT household_id FROM candidate_households);
