-- one row per county of $county_codes × department with findings in $period: the findings counted by code
-- (a county's own findings only; 外地 records are on the city page)
SELECT f.county_code,
       f.department,
       coalesce(d.label, f.department)                       AS department_label,
       count(*) FILTER (WHERE f.finding = 'CLUE')            AS clue_count,
       count(*) FILTER (WHERE f.finding = 'MISMATCH')        AS mismatch_count,
       count(*) FILTER (WHERE f.finding = 'ASSET')           AS asset_count,
       count(*) FILTER (WHERE f.finding = 'UNREGISTERED')    AS unregistered_count,
       count(*)                                              AS findings_count
FROM department_findings f
LEFT JOIN department_labels d ON d.kind = 'department' AND d.code = f.department
WHERE list_contains($county_codes, f.county_code) AND f.as_of = $period AND NOT f.is_outside
GROUP BY f.county_code, f.department, d.label
ORDER BY f.county_code, f.department;
