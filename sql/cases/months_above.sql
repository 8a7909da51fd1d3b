-- whether household $household_id's last $removal_months months up to $as_of are all on record and at or above the
-- monitoring floor, as cases/derive judges a removal candidate's months: asked for the state a 风险消除 dated before
-- the decision in force, or on a case a person closed, is checked against (tasks/cases/importer.checked_case)
SELECT count(*) = $removal_months AND coalesce(bool_and(projected_per_capita >= monitoring_floor), false)
FROM case_evidence
WHERE household_id = $household_id
  AND period_index(period) > period_index($as_of) - $removal_months AND period <= $as_of;
