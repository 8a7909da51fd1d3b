-- marks every run still 'running' as interrupted: only the lock holder runs, so none of them is alive
UPDATE runs SET status = 'interrupted', finished_at = now()::TIMESTAMP,
    message = 'the process ended before the run finished (killed or crashed); its batch was rolled back'
WHERE status = 'running';
