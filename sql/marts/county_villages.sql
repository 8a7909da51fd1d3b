-- one row per county of the reference list: its village codes, sorted (a change re-runs its village signals)
SELECT left(code, 6) AS county_code, list(code ORDER BY code) AS village_codes
FROM admin_units WHERE level = 'village'
GROUP BY ALL;
