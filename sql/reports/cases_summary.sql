-- one row per county of $county_codes with cases: open (not closed or dismissed), overdue, closed this month (the
-- calendar month of the ledger's today), and the median days from opening to a conclusion (cases of the income
-- year of $period)
SELECT county_code,
       count(*) FILTER (WHERE status IN ('open', 'confirmed', 'assisting'))      AS open_count,
       count(*) FILTER (WHERE overdue_days > 0)                                  AS overdue_count,
       count(*) FILTER (WHERE status IN ('closed', 'dismissed')
                          AND date_trunc('month', closed_on) = date_trunc('month', judged_on)) AS closed_this_month_count,
       count(*) FILTER (WHERE is_removal_candidate)                              AS removal_count,
       median(date_diff('day', opened_on, decided_on))
           FILTER (WHERE conclusion IS NOT NULL
                     AND income_year_of(opened_period) = income_year_of($period)) AS median_days_to_conclusion
FROM cases
WHERE list_contains($county_codes, county_code)
GROUP BY county_code
ORDER BY county_code;
