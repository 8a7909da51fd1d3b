-- one new row in runs; returns its id
INSERT INTO runs (run_id, kind, scope, started_at, status, pid)
SELECT coalesce(max(run_id), 0) + 1, $kind, $scope, now()::TIMESTAMP, 'running', $pid FROM runs
RETURNING run_id;
