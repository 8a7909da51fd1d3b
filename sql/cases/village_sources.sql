-- one row per village × signal of the as-of month ($period): the village signals, each a village case's source
SELECT code                   AS kind,
       village_code           AS subject_key,
       county_code, township_code, village_code,
       NULL::TEXT             AS household_id,
       NULL::TEXT             AS subject_period,
       detail,
       NULL::DOUBLE           AS evidence_value
FROM village_signals
WHERE period = $period
ORDER BY subject_key, kind;
