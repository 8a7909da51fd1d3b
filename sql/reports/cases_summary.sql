-- one row per county of $county_codes with cases: open (not closed or dismissed), overdue, closed this month (the
-- calendar month of the ledger's today), and the median days from opening to a conclusion (cases of the income
-- year of $period): to the 核查日期 of its first decision writing a 核查结论, not of the case's latest decision (the
-- measures recorded weeks after the visit, a 风险消除 months later would count as the time taken to verify it)
WITH concluded AS (
    SELECT case_id, min(decided_on) AS concluded_on
    FROM case_events
    WHERE event IN ('decision', 'superseded')
      -- the row's own 核查结论 (detail); an event recorded before the detail kept it: its state's
      AND CASE WHEN detail IS NULL THEN conclusion ELSE json_extract_string(detail, '$.conclusion') END IS NOT NULL
    GROUP BY case_id
)
SELECT county_code,
       count(*) FILTER (WHERE status IN ('open', 'confirmed', 'assisting'))      AS open_count,
       count(*) FILTER (WHERE overdue_days > 0)                                  AS overdue_count,
       count(*) FILTER (WHERE status IN ('closed', 'dismissed')
                          AND date_trunc('month', closed_on) = date_trunc('month', judged_on)) AS closed_this_month_count,
       count(*) FILTER (WHERE is_removal_candidate)                              AS removal_count,
       median(date_diff('day', opened_on, k.concluded_on))
           FILTER (WHERE income_year_of(opened_period) = income_year_of($period)) AS median_days_to_conclusion
FROM cases
LEFT JOIN concluded k USING (case_id)
WHERE list_contains($county_codes, county_code)
GROUP BY county_code
ORDER BY county_code;
