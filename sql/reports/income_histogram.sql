-- one row per income bin of county $county_code in $period: households by projected per-capita
-- income, bins a fifth of the line wide from 0 to 3 × the line (below 0 counts in the first, above in the last)
WITH binned AS (
    SELECT least(greatest(floor(projected_per_capita / (line / 5)), 0), 15)::INTEGER AS bin_index
    FROM household_status
    WHERE county_code = $county_code AND period = $period AND projected_per_capita IS NOT NULL AND line > 0
)
SELECT bin_index, count(*) AS households_count
FROM binned
GROUP BY bin_index
ORDER BY bin_index;
