-- one row per township with households in $period of each county of $county_codes: its flags by type and its
-- share of households flagged and below the line, ranked by the share flagged (highest first)
SELECT h.county_code,
       h.township_code,
       coalesce(t.name, h.township_code)             AS township_name,
       count(*)                                      AS households_count,
       count(*) FILTER (WHERE h.flags <> '')         AS flagged_count,
       count(*) FILTER (WHERE h.is_below_line)       AS below_line_count,
       count(*) FILTER (WHERE h.is_near_line)        AS near_line_count,
       count(*) FILTER (WHERE h.is_sudden_drop)      AS sudden_drop_count,
       count(*) FILTER (WHERE h.is_unstable_lifted)  AS unstable_lifted_count,
       count(*) FILTER (WHERE h.has_guarantee_gap)   AS guarantee_gap_count,
       count(*) FILTER (WHERE h.flags <> '') / count(*) AS flagged_share,
       count(*) FILTER (WHERE h.is_below_line) / count(*) AS below_line_share
FROM household_status h
LEFT JOIN admin_units t ON t.code = h.township_code
WHERE list_contains($county_codes, h.county_code) AND h.period = $period
GROUP BY h.county_code, h.township_code, t.name
ORDER BY h.county_code, count(*) FILTER (WHERE h.flags <> '') / count(*) DESC,
         count(*) FILTER (WHERE h.is_below_line) / count(*) DESC, h.township_code;
