-- one row per period of the income year up to $period for county $county_code: flagged households
SELECT period,
       count(*)                                      AS households_count,
       count(*) FILTER (WHERE flags <> '')           AS flagged_count,
       count(*) FILTER (WHERE is_below_line)         AS below_line_count,
       count(*) FILTER (WHERE is_near_line)          AS near_line_count
FROM household_status
WHERE county_code = $county_code AND period <= $period
GROUP BY period
ORDER BY period;
