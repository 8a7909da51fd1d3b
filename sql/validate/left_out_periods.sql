-- the months whose current files left_out_households.sql compares: those of the files $file_ids and the month before
-- each (passed back as a list: a filter on period reaches into current_files, a join on it does not)
SELECT DISTINCT unnest([period, months_before(period, 1)])
FROM source_files
WHERE list_contains($file_ids, file_id) AND period IS NOT NULL
ORDER BY 1;
