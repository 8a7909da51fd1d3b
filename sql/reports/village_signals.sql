-- one row per signal of a village of each county of $county_codes in $period (missing returns, bunching, identical rows)
SELECT s.county_code,
       s.village_code,
       coalesce(v.name, s.village_code)              AS village_name,
       coalesce(t.name, s.township_code)             AS township_name,
       s.code,
       s.detail
FROM village_signals s
LEFT JOIN admin_units v ON v.code = s.village_code
LEFT JOIN admin_units t ON t.code = s.township_code
WHERE list_contains($county_codes, s.county_code) AND s.period = $period
ORDER BY s.county_code, s.code = 'MISSING_RETURN', s.village_code, s.code;
