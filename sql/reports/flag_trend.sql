-- one row per county of $county_codes × period of the income year up to $period: flagged households
SELECT county_code,
       period,
       count(*)                                      AS households_count,
       count(*) FILTER (WHERE flags <> '')           AS flagged_count,
       count(*) FILTER (WHERE is_below_line)         AS below_line_count,
       count(*) FILTER (WHERE is_near_line)          AS near_line_count
FROM household_status
WHERE list_contains($county_codes, county_code) AND period <= $period
GROUP BY county_code, period
ORDER BY county_code, period;
