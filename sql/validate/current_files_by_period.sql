-- one row per month with current files: their file ids (the history checks made again a month at a time)
SELECT period, list(file_id ORDER BY file_id) AS file_ids
FROM current_files
GROUP BY period
ORDER BY period;
