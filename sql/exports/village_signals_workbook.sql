-- one row per village signal of the as-of month ($period): village_signals.xlsx, the rows of
-- village_signals.csv in the same order with county, township and village names beside the codes
SELECT s.county_code,
       coalesce(c.name, s.county_code)      AS county_name,
       s.township_code,
       coalesce(t.name, s.township_code)    AS township_name,
       s.village_code,
       coalesce(v.name, s.village_code)     AS village_name,
       s.period,
       s.code,
       s.detail
FROM village_signals s
LEFT JOIN admin_units c ON c.code = s.county_code
LEFT JOIN admin_units t ON t.code = s.township_code
LEFT JOIN admin_units v ON v.code = s.village_code
WHERE s.period = $period
ORDER BY s.county_code, s.village_code, s.code;
