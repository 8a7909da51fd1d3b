-- one row per county of $county_codes × income bin in $period: households by projected per-capita
-- income, bins a fifth of the line wide from 0 to 3 × the line (below 0 counts in the first, above in the last)
WITH binned AS (
    SELECT county_code,
           least(greatest(floor(projected_per_capita / (line / 5)), 0), 15)::INTEGER AS bin_index
    FROM household_status
    WHERE list_contains($county_codes, county_code) AND period = $period
      AND projected_per_capita IS NOT NULL AND line > 0
)
SELECT county_code, bin_index, count(*) AS households_count
FROM binned
GROUP BY county_code, bin_index
ORDER BY county_code, bin_index;
