-- into the empty case_evidence_changes (case_evidence's columns: run.collect_evidence makes it): one row per
-- household × month of the as-of income year up to $period, for households with a household case or a flag of
-- $open_on in $period, whose figures differ from (or are missing in) case_evidence: what this run writes there;
-- the monitoring floor is the line × $near_line_factor (to a millionth of a yuan)
INSERT INTO case_evidence_changes
SELECT s.household_id, s.period, s.projected_per_capita, round(s.line * $near_line_factor, 6) AS monitoring_floor,
       s.labor_count, s.flags
FROM household_status s
LEFT JOIN case_evidence e ON e.household_id = s.household_id AND e.period = s.period
WHERE s.period <= $period AND s.income_year = income_year_of($period)
  AND (e.household_id IS NULL OR e.projected_per_capita IS DISTINCT FROM s.projected_per_capita
       OR e.monitoring_floor IS DISTINCT FROM round(s.line * $near_line_factor, 6)
       OR e.labor_count IS DISTINCT FROM s.labor_count OR e.flags IS DISTINCT FROM s.flags)
  AND s.household_id IN (SELECT household_id FROM cases WHERE household_id IS NOT NULL
                         UNION
                         SELECT household_id FROM household_status
                         WHERE period = $period
                           AND len(list_intersect(string_split(flags, ';'), $open_on)) > 0);
