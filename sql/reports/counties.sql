-- one row per county of the reference list: its villages and how many have a usable return for $period
WITH villages AS (
    SELECT t.parent_code AS county_code, v.code AS village_code
    FROM admin_units v
    JOIN admin_units t ON t.code = v.parent_code AND t.level = 'township'
    WHERE v.level = 'village'
)
SELECT c.code                                        AS county_code,
       c.name                                        AS county_name,
       c.management_area                             AS is_management_area,
       count(v.village_code)                         AS villages_count,
       count(f.file_id) FILTER (WHERE f.rows_used > 0) AS villages_reported_count  -- a file whose every row is
                                                      -- in error is no usable return (policy.md, MISSING_RETURN)
FROM admin_units c
LEFT JOIN villages v ON v.county_code = c.code
LEFT JOIN current_files f ON f.village_code = v.village_code AND f.period = $period
WHERE c.level = 'county'
GROUP BY c.code, c.name, c.management_area
ORDER BY c.code;
