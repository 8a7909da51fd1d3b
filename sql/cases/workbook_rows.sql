-- one row per case not closed or dismissed, of county $county_code (NULL: of every county): the township workbook's
-- 待办 sheet (cases.md), by county, overdue ones first (most days first), then by deadline; names masked
WITH waiting AS (
    SELECT * FROM cases
    WHERE status IN ('open', 'confirmed', 'assisting') AND ($county_code IS NULL OR county_code = $county_code)
), heads AS (        -- each household's head as its latest row on record names them
    SELECT household_id, arg_max(head_name, period) AS head_name
    FROM household_status
    WHERE household_id IN (SELECT household_id FROM waiting)
    GROUP BY household_id
)
SELECT c.county_code, c.case_id, t.name AS township_name, v.name AS village_name, c.household_id,
       mask_name(h.head_name) AS head_name_masked, c.kind, c.detail, c.opened_period,
       strftime(c.opened_on, '%Y-%m-%d') AS opened_on, strftime(c.deadline, '%Y-%m-%d') AS deadline, c.status,
       c.overdue_days,
       c.conclusion, c.measures, c.actor, strftime(c.decided_on, '%Y-%m-%d') AS decided_on, c.note,
       c.is_removal_candidate
FROM waiting c
LEFT JOIN admin_units t ON t.code = c.township_code
LEFT JOIN admin_units v ON v.code = c.village_code
LEFT JOIN heads h ON h.household_id = c.household_id
ORDER BY c.county_code, c.overdue_days DESC, c.deadline, c.case_id;
