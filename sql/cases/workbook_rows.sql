-- one row per case of county $county_code not closed or dismissed: the township workbook's 待办 sheet
-- (cases.md), overdue ones first (most days first), then by deadline; names masked
WITH heads AS (      -- each household's head as its latest row on record names them
    SELECT household_id, arg_max(head_name, period) AS head_name
    FROM household_status
    WHERE county_code = $county_code
    GROUP BY household_id
)
SELECT c.case_id, t.name AS township_name, v.name AS village_name, c.household_id,
       mask_name(h.head_name) AS head_name_masked, c.kind, c.detail, c.opened_period,
       strftime(c.opened_on, '%Y-%m-%d') AS opened_on, strftime(c.deadline, '%Y-%m-%d') AS deadline, c.status,
       c.overdue_days,
       c.conclusion, c.measures, c.actor, strftime(c.decided_on, '%Y-%m-%d') AS decided_on, c.note,
       c.is_removal_candidate
FROM cases c
LEFT JOIN admin_units t ON t.code = c.township_code
LEFT JOIN admin_units v ON v.code = c.village_code
LEFT JOIN heads h ON h.household_id = c.household_id
WHERE c.county_code = $county_code AND c.status IN ('open', 'confirmed', 'assisting')
ORDER BY c.overdue_days DESC, c.deadline, c.case_id;
