-- one row per household drawn for county $county_code in draw $draw_id: the check teams' list
-- (exports/sample/<county_code>.csv), head names masked, no ID numbers, by township, village, household
SELECT s.household_id,
       s.county_code,
       s.township_code,
       t.name                         AS township_name,
       s.village_code,
       v.name                         AS village_name,
       mask_name(h.head_name)         AS head_name_masked,
       h.household_type,
       h.household_size,
       s.data_period,
       s.flags,
       s.village_signals,
       s.reason
FROM sample_households s
LEFT JOIN household_status h ON h.household_id = s.household_id AND h.period = s.data_period
LEFT JOIN admin_units t ON t.code = s.township_code
LEFT JOIN admin_units v ON v.code = s.village_code
WHERE s.draw_id = $draw_id AND s.county_code = $county_code
ORDER BY s.township_code, s.village_code, s.household_id;
