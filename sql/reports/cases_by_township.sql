-- one row per county of $county_codes × township with cases of the income year of $period (or still open):
-- how many are in each status, overdue and removal candidates (the county page's 待办台账 section)
SELECT c.county_code,
       c.township_code,
       coalesce(t.name, c.township_code)                      AS township_name,
       count(*) FILTER (WHERE c.status = 'open')              AS open_count,
       count(*) FILTER (WHERE c.status = 'confirmed')         AS confirmed_count,
       count(*) FILTER (WHERE c.status = 'assisting')         AS assisting_count,
       count(*) FILTER (WHERE c.status = 'dismissed')         AS dismissed_count,
       count(*) FILTER (WHERE c.status = 'closed')            AS closed_count,
       count(*) FILTER (WHERE c.overdue_days > 0)             AS overdue_count,
       count(*) FILTER (WHERE c.is_removal_candidate)         AS removal_count
FROM cases c
LEFT JOIN admin_units t ON t.code = c.township_code
WHERE list_contains($county_codes, c.county_code)
  AND (income_year_of(c.opened_period) = income_year_of($period) OR c.status IN ('open', 'confirmed', 'assisting'))
GROUP BY ALL
ORDER BY c.county_code, c.township_code;
