-- one row per flagged household of the as-of month ($period): the flags.csv export (interface.md), names
-- and ID numbers masked, in a stable order so that unchanged data gives identical bytes
SELECT county_code,
       township_code,
       village_code,
       household_id,
       mask_name(head_name)                 AS head_name_masked,
       mask_id(head_id_number)              AS head_id_masked,
       household_type,
       household_size,
       period,
       format('{:.2f}', projected_per_capita) AS projected_per_capita,
       flags,
       reasons,
       suggested_measure
FROM household_status
WHERE period = $period AND flags <> ''
ORDER BY county_code, township_code, village_code, household_id;
