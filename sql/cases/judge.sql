-- every case's judged_on and overdue_days as derived_cases has them (today's), where they differ
UPDATE cases SET judged_on = d.judged_on, overdue_days = d.overdue_days
FROM derived_cases d
WHERE d.case_id = cases.case_id
  AND (cases.judged_on IS DISTINCT FROM d.judged_on OR cases.overdue_days IS DISTINCT FROM d.overdue_days);
