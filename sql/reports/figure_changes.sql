-- one row per county of $county_codes × month compared with $period ('month', the month before; 'year', the same
-- month of the previous income year) that the store holds (some file of that month on record): the county's
-- key figures then (county_month_figures: as a run of that month shows them with the files on record now;
-- NULL when it had no usable household row) and its villages with a usable return then
WITH compared AS (
    SELECT 'month' AS compared, months_before($period, 1) AS period
    UNION ALL
    SELECT 'year', months_before($period, 12)
), held AS (          -- the compared months the store holds at all
    SELECT c.* FROM compared c WHERE EXISTS (SELECT 1 FROM source_files f WHERE f.period = c.period)
), villages AS (
    SELECT t.parent_code AS county_code, v.code AS village_code
    FROM admin_units v
    JOIN admin_units t ON t.code = v.parent_code AND t.level = 'township'
    WHERE v.level = 'village' AND list_contains($county_codes, t.parent_code)
), reported AS (
    SELECT v.county_code, h.compared, count(f.file_id) FILTER (WHERE f.rows_used > 0) AS villages_reported_count
    FROM villages v
    CROSS JOIN held h
    LEFT JOIN current_files f ON f.village_code = v.village_code AND f.period = h.period
    GROUP BY v.county_code, h.compared
)
SELECT r.county_code,
       r.compared,
       h.period,
       r.villages_reported_count,
       f.households_count,
       f.people_count,
       f.flagged_count,
       f.below_line_count,
       f.near_line_count,
       f.sudden_drop_count,
       f.unstable_lifted_count,
       f.guarantee_gap_count
FROM reported r
JOIN held h USING (compared)
LEFT JOIN county_month_figures f
  ON f.county_code = r.county_code AND f.period = h.period AND f.households_count > 0
ORDER BY r.county_code, r.compared;
