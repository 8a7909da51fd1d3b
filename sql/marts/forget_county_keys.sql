-- forgets every cached unit of the counties a rerun re-read (registered frame rerun_counties), so that what
-- depends on their re-read rows is recomputed
DELETE FROM mart_keys
WHERE artifact <> 'global' AND county_code IN (SELECT county_code FROM rerun_counties);
