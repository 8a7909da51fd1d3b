-- one row per household × month of the as-of income year up to $period, for households with a household case
-- or a flag of $open_on in $period: their figures as this run sees them (replacing an earlier run's); the
-- monitoring floor is the line × $near_line_factor (the income year's)
INSERT OR REPLACE INTO case_evidence
SELECT household_id, period, projected_per_capita, line * $near_line_factor, labor_count, flags
FROM household_status s
WHERE s.period <= $period AND s.income_year = income_year_of($period)
  AND s.household_id IN (SELECT household_id FROM cases WHERE household_id IS NOT NULL
                         UNION
                         SELECT household_id FROM household_status
                         WHERE period = $period
                           AND len(list_intersect(string_split(flags, ';'), $open_on)) > 0);
