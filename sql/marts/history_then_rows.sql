-- the rows of the temporary history_then (marts/history_then), in order.
SELECT county_code, income_year, income_month, village_code, period, then_file_id, current_file_id
FROM history_then
ORDER BY ALL;
