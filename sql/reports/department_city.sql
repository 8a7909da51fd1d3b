-- one row per county of the reference list with department findings in $period, then one row 外地 (records whose
-- ID names no county of the city): the findings counted by code
SELECT coalesce(c.code, '外地')                                AS county_code,
       coalesce(c.name, '外地')                                AS county_name,
       count(*) FILTER (WHERE f.finding = 'CLUE')             AS clue_count,
       count(*) FILTER (WHERE f.finding = 'MISMATCH')         AS mismatch_count,
       count(*) FILTER (WHERE f.finding = 'ASSET')            AS asset_count,
       count(*) FILTER (WHERE f.finding = 'UNREGISTERED')     AS unregistered_count,
       count(*)                                               AS findings_count
FROM department_findings f
LEFT JOIN admin_units c ON c.code = f.county_code AND c.level = 'county' AND NOT f.is_outside
WHERE f.as_of = $period
GROUP BY c.code, c.name
ORDER BY c.code IS NULL, c.code;
