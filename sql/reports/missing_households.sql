-- one row per household of county $county_code whose rows for $period were all quarantined
SELECT m.village_code,
       coalesce(v.name, m.village_code)              AS village_name,
       m.household_id,
       m.file_name,
       array_to_string(m.source_rows, '、')           AS source_rows,
       m.reason_codes
FROM households_data_missing m
LEFT JOIN admin_units v ON v.code = m.village_code
WHERE m.county_code = $county_code AND m.period = $period
ORDER BY m.village_code, m.household_id NULLS LAST, m.source_rows
LIMIT $row_limit;
