-- one row per household × flag of the as-of month ($period) that opens cases ($open_on: a list of flag codes):
-- the household's reasons as 依据, its projected per-capita as the evidence a dismissal is compared with
SELECT flag                   AS kind,
       household_id           AS subject_key,
       county_code, township_code, village_code, household_id,
       NULL::TEXT             AS subject_period,
       reasons                AS detail,
       projected_per_capita   AS evidence_value
FROM (SELECT *, unnest(string_split(flags, ';')) AS flag FROM household_status WHERE period = $period AND flags <> '')
WHERE list_contains($open_on, flag)
ORDER BY subject_key, kind;
