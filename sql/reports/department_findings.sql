-- one row per finding of $period in each county of $county_codes, at most $row_limit a county (UNREGISTERED
-- first, then CLUE, MISMATCH, ASSET); names and ID numbers masked here, labels joined
SELECT f.county_code,
       f.household_id,
       mask_id(f.id_number)                                   AS person_id_masked,
       mask_name(f.name)                                      AS name_masked,
       coalesce(v.name, f.village_code)                       AS village_name,
       coalesce(t.name, f.township_code)                      AS township_name,
       coalesce(d.label, f.department)                        AS department_label,
       coalesce(e.label, f.event)                             AS event_label,
       strftime(f.event_date, '%Y-%m-%d')                     AS event_date,
       f.period,
       f.finding,
       coalesce(g.label, f.finding)                           AS finding_label,
       f.detail,
       row_number() OVER (PARTITION BY f.county_code
                          ORDER BY list_position(['UNREGISTERED', 'CLUE', 'MISMATCH', 'ASSET'], f.finding),
                                   f.household_id NULLS FIRST, f.department, f.event, f.event_date, f.id_number)
                                                              AS place
FROM department_findings f
LEFT JOIN admin_units v ON v.code = f.village_code
LEFT JOIN admin_units t ON t.code = f.township_code
LEFT JOIN department_labels d ON d.kind = 'department' AND d.code = f.department
LEFT JOIN department_labels e ON e.kind = 'event' AND e.code = f.event
LEFT JOIN department_labels g ON g.kind = 'finding' AND g.code = f.finding
WHERE list_contains($county_codes, f.county_code) AND f.as_of = $period AND NOT f.is_outside
QUALIFY place <= $row_limit
ORDER BY f.county_code, place;
