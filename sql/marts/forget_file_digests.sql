-- forgets the digests of the files a rerun re-read: those of the villages whose code starts with $code_prefix
-- (a village or a county), of period $period when one is given (their village × months' stamps are named stale
-- as marts/file_digests digests them again, in the same transaction)
DELETE FROM file_digests
WHERE file_id IN (SELECT file_id FROM source_files
                  WHERE starts_with(village_code, $code_prefix) AND ($period IS NULL OR period = $period));
