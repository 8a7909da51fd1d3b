-- one row per case of $county_codes that needs attention, at most 300 a county: overdue first (most days first),
-- then due within 7 days of the ledger's today, then risk-removal candidates; names and ID-shaped text masked;
-- a department case's kind labelled by its event (department_labels), the others by the template's label filter.
-- The as-of month $period only names the page (cases are judged when the ledger was last derived). todo_count: how
-- many of the county's cases need attention, the rows left out by the cut included (the page says it is cut).
WITH todo AS (
    SELECT *,
           CASE WHEN overdue_days > 0 THEN 1
                WHEN (status = 'open' OR (kind = 'DATA_ERRORS' AND status IN ('confirmed', 'assisting')))
                     AND deadline <= judged_on + 7 THEN 2
                WHEN is_removal_candidate THEN 3 END AS priority
    FROM cases
    WHERE list_contains($county_codes, county_code) AND status IN ('open', 'confirmed', 'assisting')
), heads AS (  -- for the households of the cases listed alone, not every household's months
    SELECT household_id, arg_max(head_name, period) AS head_name
    FROM household_status
    WHERE list_contains($county_codes, county_code) AND period <= coalesce($period, period)
      AND household_id IN (SELECT household_id FROM todo WHERE priority IS NOT NULL)
    GROUP BY household_id
)
SELECT d.county_code, d.priority, d.case_id, coalesce(t.name, d.township_code) AS township_name,
       coalesce(v.name, d.village_code) AS village_name, d.household_id, mask_name(h.head_name) AS head_name_masked,
       d.kind, CASE WHEN d.kind LIKE 'DEPT\_%' ESCAPE '\' THEN '部门比对：' || coalesce(e.label, d.kind[6:]) END AS kind_label,
       d.status, case_status_label(d.status) AS status_label, strftime(d.deadline, '%Y-%m-%d') AS deadline,
       d.overdue_days, date_diff('day', d.judged_on, d.deadline) AS days_left, mask_ids(d.detail) AS detail,
       d.measures, count(*) OVER (PARTITION BY d.county_code) AS todo_count
FROM todo d
LEFT JOIN admin_units t ON t.code = d.township_code
LEFT JOIN admin_units v ON v.code = d.village_code
LEFT JOIN heads h ON h.household_id = d.household_id
LEFT JOIN department_labels e ON e.kind = 'event' AND 'DEPT_' || e.code = d.kind
WHERE d.priority IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY d.county_code
                           ORDER BY d.priority, d.overdue_days DESC, d.deadline, d.case_id) <= 300
ORDER BY d.county_code, d.priority, d.overdue_days DESC, d.deadline, d.case_id;
