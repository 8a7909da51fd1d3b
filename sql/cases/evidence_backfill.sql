-- added to case_evidence_changes: for each household of a case, the months of the previous income year within the
-- last $removal_months months up to $period before its first month on record (a case opened early in an income year
-- for a household that had none before), each as the backtest projected it when the month was run
-- (projection_backtest; month 12: the year's actual), its floor that year's line × $previous_near_line_factor,
-- labour and flags unknown: risk removal judges the last $removal_months months, across the start of the income
-- year (cases.md). "Before its first month on record" is a comparison with each household's first month, not a
-- correlated NOT EXISTS per month: that took 3.2-4.1 s a night on the province's 30-month store, this 0.9-1.0 s.
-- Only the backtest months that can fall in the window are read (a province's October: 2.7 s -> 1.3 s), and only for
-- the households with a window month before their first month on record (a province's November: ~1,400 of 419,000
-- households; October 1.4 -> 0.6 s, November 0.9 -> 0.4 s); the step runs only in the income year's first
-- $removal_months - 1 months (tasks/cases/run.collect_evidence)
INSERT INTO case_evidence_changes
WITH first_on_record AS (   -- each household's first month in case_evidence (or written there by this run)
    SELECT household_id, min(period) AS period
    FROM (SELECT household_id, period FROM case_evidence
          UNION ALL
          SELECT household_id, period FROM case_evidence_changes)
    GROUP BY household_id
), wanting AS (             -- households of a case with a month of the window before their first month on record
    SELECT DISTINCT c.household_id, f.period AS first_period
    FROM cases c
    LEFT JOIN first_on_record f ON f.household_id = c.household_id
    WHERE c.household_id IS NOT NULL
      AND (f.period IS NULL OR period_index(f.period) - 1 > period_index($period) - $removal_months)
), previous_year AS (
    SELECT b.household_id, period_of(b.income_year, b.income_month) AS period,
           b.projected_per_capita, b.actual_per_capita, b.income_month, b.line
    FROM projection_backtest b
    WHERE b.income_year = income_year_of($period) - 1
      -- the months within the window, and November, whose rows carry September's actual
      AND b.income_month >= least(income_month_of($period) + 13 - $removal_months, 11)
      AND b.household_id IN (SELECT household_id FROM wanting)
), months AS (
    SELECT household_id, period, projected_per_capita, line FROM previous_year
    UNION ALL                  -- September, month 12: the actual (the same on every backtest row of the year)
    SELECT household_id, period_of(income_year_of($period) - 1, 12), actual_per_capita, line
    FROM previous_year WHERE income_month = 11
)
SELECT m.household_id, m.period, m.projected_per_capita, round(m.line * $previous_near_line_factor, 6),
       NULL::INTEGER, NULL::TEXT
FROM months m
JOIN wanting w ON w.household_id = m.household_id
WHERE period_index(m.period) > period_index($period) - $removal_months
  -- only before the household's first month on record: a month the runs saw without a return stays a gap
  AND (w.first_period IS NULL OR m.period < w.first_period);
