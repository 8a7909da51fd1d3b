-- one row per county of $county_codes × income bin × group in $period: households by projected per-capita income,
-- bins a fifth of the line wide from 0 to 3 × the line (below 0 counts in the first, above in the last), each
-- bin's households in their group: below the line, near it (household_status.is_near_line: the line up to
-- line × near_line_factor, as the key figures count it) or above; a bin across a group's edge has two rows
WITH binned AS (
    SELECT county_code,
           least(greatest(floor(projected_per_capita / (line / 5)), 0), 15)::INTEGER AS bin_index,
           CASE WHEN projected_per_capita < line THEN 'below' WHEN is_near_line THEN 'near' ELSE 'above' END AS band
    FROM household_status
    WHERE list_contains($county_codes, county_code) AND period = $period
      AND projected_per_capita IS NOT NULL AND line > 0
)
SELECT county_code, bin_index, band, count(*) AS households_count
FROM binned
GROUP BY county_code, bin_index, band
ORDER BY county_code, bin_index, band;
