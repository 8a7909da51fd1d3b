-- one row per county with a spot-check draw: its latest draw (a --county draw replaces only that county's
-- list), with households and villages drawn, how many flagged, how many villages with bunching or
-- identical rows were drawn out of those in the draw's frame
WITH latest AS (
    SELECT county_code, max(draw_id) AS draw_id FROM sample_households GROUP BY county_code
)
SELECT s.county_code,
       c.name                                                          AS county_name,
       c.management_area                                               AS is_management_area,
       d.draw_id, d.seed, d.drawn_at, d.period,
       count(*)                                                        AS households_count,
       count(DISTINCT s.village_code)                                  AS villages_count,
       count(*) FILTER (WHERE s.flags <> '')                           AS flagged_count,
       count(DISTINCT s.village_code) FILTER (
           WHERE s.village_signals SIMILAR TO '.*(THRESHOLD_BUNCHING|IDENTICAL_ROWS).*') AS suspicious_villages_count,
       bool_or(s.is_whole_county)                                      AS is_whole_county
FROM latest l
JOIN sample_households s ON s.county_code = l.county_code AND s.draw_id = l.draw_id
JOIN sample_draws d ON d.draw_id = l.draw_id
LEFT JOIN admin_units c ON c.code = s.county_code AND c.level = 'county'
GROUP BY ALL
ORDER BY s.county_code;
