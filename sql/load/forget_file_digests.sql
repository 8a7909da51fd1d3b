-- forgets the digests of the files a run re-reads (registered frame reread_files), in the transaction that replaces
-- their rows: a run killed after it leaves them undigested, so the next run's marts see the rows changed (their
-- village × months' stamps named stale)
INSERT INTO unit_stamps_stale
SELECT village_code, period FROM source_files WHERE file_id IN (SELECT file_id FROM reread_files);
DELETE FROM file_digests WHERE file_id IN (SELECT file_id FROM reread_files);
