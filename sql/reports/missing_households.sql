-- one row per household whose rows for $period were all quarantined, of each county of $county_codes, at most
-- $row_limit a county (the first in the page's order)
SELECT m.county_code,
       m.village_code,
       coalesce(v.name, m.village_code)              AS village_name,
       m.household_id,
       m.file_name,
       array_to_string(m.source_rows, '、')           AS source_rows,
       m.reason_codes,
       row_number() OVER (PARTITION BY m.county_code
                          ORDER BY m.village_code, m.household_id NULLS LAST, m.source_rows) AS place
FROM households_data_missing m
LEFT JOIN admin_units v ON v.code = m.village_code
WHERE list_contains($county_codes, m.county_code) AND m.period = $period
QUALIFY place <= $row_limit
ORDER BY m.county_code, place;
