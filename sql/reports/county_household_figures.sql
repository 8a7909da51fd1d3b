-- one row per county with households in $period: the key figures of its monitored households
SELECT county_code,
       count(*)                                      AS households_count,
       sum(household_size)                           AS people_count,
       count(*) FILTER (WHERE flags <> '')           AS flagged_count,
       count(*) FILTER (WHERE is_below_line)         AS below_line_count,
       count(*) FILTER (WHERE is_near_line)          AS near_line_count,
       count(*) FILTER (WHERE is_sudden_drop)        AS sudden_drop_count,
       count(*) FILTER (WHERE is_unstable_lifted)    AS unstable_lifted_count,
       count(*) FILTER (WHERE has_guarantee_gap)     AS guarantee_gap_count,
       max(line)                                     AS line
FROM household_status
WHERE period = $period
GROUP BY county_code
ORDER BY county_code;
