-- the judged_on and overdue_days as of $today of every case a scoped derivation left out (derive_scope): from the
-- deadline and status its row already holds, where they differ
UPDATE cases SET judged_on = CAST($today AS DATE), overdue_days = case_overdue_days(status, kind, deadline, $today)
WHERE case_id NOT IN (SELECT case_id FROM derive_scope)
  AND (judged_on IS DISTINCT FROM CAST($today AS DATE)
       OR overdue_days IS DISTINCT FROM case_overdue_days(status, kind, deadline, $today));
