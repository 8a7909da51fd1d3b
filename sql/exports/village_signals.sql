-- one row per village signal of the as-of month ($period): the village_signals.csv export (interface.md),
-- in a stable order so that unchanged data gives identical bytes
SELECT county_code,
       village_code,
       period,
       code,
       detail
FROM village_signals
WHERE period = $period
ORDER BY county_code, village_code, code;
