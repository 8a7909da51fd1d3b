-- one row per flagged household of the as-of month ($period), names and ID numbers masked, in a stable order so
-- that unchanged data gives identical bytes: flags.xlsx, and flags.csv its columns without the names of county,
-- township and village and the band, the projection as the CSV writes it (projected_per_capita_text); the near-line
-- limit is the line × $near_line_factor (NULL: the projection rounded)
SELECT h.county_code,
       coalesce(c.name, h.county_code)      AS county_name,
       h.township_code,
       coalesce(t.name, h.township_code)    AS township_name,
       h.village_code,
       coalesce(v.name, h.village_code)     AS village_name,
       h.household_id,
       mask_name(h.head_name)               AS head_name_masked,
       mask_id(h.head_id_number)            AS head_id_masked,
       h.household_type,
       h.household_size,
       h.period,
       round(h.shown_per_capita, 2)         AS projected_per_capita,
       format('{:.2f}', h.shown_per_capita) AS projected_per_capita_text,
       round(below_limit(h.projected_low, h.line, true), 0) AS projected_low,  -- below the line: never the line
       round(h.projected_high, 0)           AS projected_high,
       CASE WHEN h.projected_low < h.line AND h.projected_high >= h.line THEN '临界待核' END AS band_note,
       h.flags,
       h.reasons,
       h.suggested_measure
FROM (SELECT *,   -- the projection as the reasons quote it: a figure below a limit never reads as the limit
             shown_projection(s, round(line * $near_line_factor, 6), false) AS shown_per_capita
      FROM household_status s) h
LEFT JOIN admin_units c ON c.code = h.county_code
LEFT JOIN admin_units t ON t.code = h.township_code
LEFT JOIN admin_units v ON v.code = h.village_code
WHERE h.period = $period AND h.flags <> ''
ORDER BY h.county_code, h.township_code, h.village_code, h.household_id;
