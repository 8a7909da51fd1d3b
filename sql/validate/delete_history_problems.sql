-- removes the history problems of the files in $file_ids (about to be recomputed)
DELETE FROM history_problems WHERE list_contains($file_ids, file_id);
