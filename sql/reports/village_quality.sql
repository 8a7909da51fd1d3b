-- one row per village of each county of $county_codes: its return for $period (reported; unusable: every row in
-- error; rejected or missing)
-- and how many of its rows were quarantined or carry warnings (the history-aware ones included); rejected files
-- still standing are named; a village without a usable return counts its days overdue from day $due_day of the
-- next month to $today
WITH villages AS (
    SELECT t.parent_code AS county_code, v.code AS village_code, v.name AS village_name, t.name AS township_name
    FROM admin_units v
    JOIN admin_units t ON t.code = v.parent_code AND t.level = 'township'
    WHERE v.level = 'village' AND list_contains($county_codes, t.parent_code)
),
warned AS (
    SELECT p.file_id, count(DISTINCT p.source_row) AS warning_rows_count, count(*) AS warning_count
    FROM (SELECT file_id, source_row, level FROM problems
          UNION ALL
          SELECT file_id, source_row, level FROM history_problems) p    -- the history-aware warnings too
    JOIN current_files f USING (file_id)
    WHERE f.period = $period AND p.level = 'warning'
    GROUP BY p.file_id
),
rejected AS (
    SELECT f.village_code, count(DISTINCT f.file_id) AS rejected_files_count,
           string_agg(DISTINCT p.code, ';' ORDER BY p.code) AS rejected_codes
    FROM problem_files f    -- rejected files a later correction has not superseded
    LEFT JOIN problems p ON p.file_id = f.file_id AND p.source_row IS NULL
    WHERE f.status = 'rejected' AND f.period = $period
    GROUP BY f.village_code
)
SELECT v.county_code,
       v.village_code,
       v.village_name,
       v.township_name,
       CASE WHEN c.rows_used > 0 THEN 'reported'
            WHEN c.file_id IS NOT NULL THEN 'unusable'  -- every row in error: no usable return (MISSING_RETURN)
            WHEN r.village_code IS NOT NULL THEN 'rejected'
            ELSE 'missing' END                       AS return_status,
       c.file_name,
       c.ingested_at,
       coalesce(c.rows_used, 0)                      AS rows_used_count,
       coalesce(c.rows_quarantined, 0)               AS rows_quarantined_count,
       coalesce(w.warning_rows_count, 0)             AS warning_rows_count,
       coalesce(w.warning_count, 0)                  AS warning_count,
       (coalesce(c.rows_quarantined, 0) + coalesce(w.warning_rows_count, 0))
           / nullif(coalesce(c.rows_used, 0) + coalesce(c.rows_quarantined, 0), 0) AS problem_row_share,
       coalesce(r.rejected_files_count, 0)           AS rejected_files_count,
       r.rejected_codes,
       CASE WHEN c.file_id IS NULL OR c.rows_used = 0
            THEN greatest(date_diff('day', (strptime($period || '01', '%Y%m%d') + INTERVAL 1 MONTH
                                            + INTERVAL 1 DAY * ($due_day - 1))::DATE, CAST($today AS DATE)), 0)
       END                                           AS days_overdue
FROM villages v
LEFT JOIN current_files c ON c.village_code = v.village_code AND c.period = $period
LEFT JOIN warned w ON w.file_id = c.file_id
LEFT JOIN rejected r ON r.village_code = v.village_code
ORDER BY v.county_code, v.village_code;
