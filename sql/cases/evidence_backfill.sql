-- added to case_evidence_changes: for each household of a case, the months of the previous income year within the
-- last $removal_months months up to $period before its first month on record (a case opened early in an income year
-- for a household that had none before), each as the backtest projected it when the month was run
-- (projection_backtest; month 12: the year's actual), its floor that year's line × $previous_near_line_factor,
-- labour and flags unknown: risk removal judges the last $removal_months months, across the start of the income
-- year (cases.md)
INSERT INTO case_evidence_changes
WITH previous_year AS (
    SELECT b.household_id, period_of(b.income_year, b.income_month) AS period,
           b.projected_per_capita, b.actual_per_capita, b.income_month, b.line
    FROM projection_backtest b
    WHERE b.income_year = income_year_of($period) - 1
      AND b.household_id IN (SELECT household_id FROM cases WHERE household_id IS NOT NULL)
), months AS (
    SELECT household_id, period, projected_per_capita, line FROM previous_year
    UNION ALL                  -- September, month 12: the actual (the same on every backtest row of the year)
    SELECT household_id, period_of(income_year_of($period) - 1, 12), actual_per_capita, line
    FROM previous_year WHERE income_month = 11
)
SELECT m.household_id, m.period, m.projected_per_capita, round(m.line * $previous_near_line_factor, 6),
       NULL::INTEGER, NULL::TEXT
FROM months m
WHERE period_index(m.period) > period_index($period) - $removal_months
  -- only before the household's first month on record: a month the runs saw without a return stays a gap
  AND NOT EXISTS (SELECT 1 FROM case_evidence e WHERE e.household_id = m.household_id AND e.period <= m.period)
  AND NOT EXISTS (SELECT 1 FROM case_evidence_changes c WHERE c.household_id = m.household_id AND c.period <= m.period);
