-- removes the FILE_HOUSEHOLD_MISSING problems of the files in $file_ids (about to be recomputed)
DELETE FROM problems WHERE code = 'FILE_HOUSEHOLD_MISSING' AND list_contains($file_ids, file_id);
