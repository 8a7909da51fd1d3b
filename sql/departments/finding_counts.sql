-- one row per finding code (外地 apart, as OUTSIDE): how many findings the as-of month has
SELECT CASE WHEN is_outside THEN 'OUTSIDE' ELSE finding END AS finding, count(*) AS findings
FROM department_findings
GROUP BY 1
ORDER BY 1;
