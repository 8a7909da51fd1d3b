-- one row per county that has received files: when its data last changed, and by which run
SELECT left(village_code, 6)                         AS county_code,
       max(ingested_at)                              AS updated_at,
       arg_max(ingest_run_id, ingested_at)           AS updated_run_id
FROM source_files
WHERE village_code IS NOT NULL
GROUP BY left(village_code, 6)
ORDER BY county_code;
