-- forgets the digests of the files a run re-reads (registered frame reread_files), in the transaction that replaces
-- their rows: a run killed after it leaves them undigested, so the next run's marts see the rows changed
DELETE FROM file_digests WHERE file_id IN (SELECT file_id FROM reread_files);
