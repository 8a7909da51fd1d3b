-- one row per flagged household of $as_of with a CLUE: its suggested measure and the events of its CLUEs
SELECT h.household_id, h.suggested_measure, list(DISTINCT f.event ORDER BY f.event) AS events
FROM household_status h
JOIN department_findings f ON f.household_id = h.household_id AND f.finding = 'CLUE'
WHERE h.period = $as_of AND h.flags <> ''
GROUP BY h.household_id, h.suggested_measure
ORDER BY h.household_id;
