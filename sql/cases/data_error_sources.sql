-- one row per village × month on record (any month) whose current file has error rows, or whose every file of the
-- month was rejected (a file of a village the reference list did not know then is no village's): the DATA_ERRORS
-- sources (cases.md). A village since taken off the reference list keeps its sources: its cases are closed by a
-- correction, not by an edit of the list.
WITH errors AS (
    SELECT c.village_code, c.period,
           format('{}有{}行错误（{}），请报送更正文件', c.file_name, count(DISTINCT p.source_row),
                  string_agg(DISTINCT p.code, ';' ORDER BY p.code)) AS detail
    FROM current_files c
    JOIN problems p ON p.file_id = c.file_id AND p.level = 'error'
    GROUP BY c.village_code, c.period, c.file_name
), rejected AS (
    SELECT f.village_code, f.period,
           format('{}月收到的{}个文件均被拒收（{}），请重新报送', f.period, count(*),
                  string_agg(f.file_name, '、' ORDER BY f.file_name)) AS detail
    FROM source_files f
    WHERE f.status = 'rejected' AND f.village_code IS NOT NULL AND f.period IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM current_files c WHERE c.village_code = f.village_code AND c.period = f.period)
      AND NOT EXISTS (SELECT 1 FROM problems q WHERE q.file_id = f.file_id AND q.code = 'FILE_UNKNOWN_VILLAGE')
    GROUP BY f.village_code, f.period
)
SELECT 'DATA_ERRORS'                  AS kind,
       e.village_code || ':' || e.period AS subject_key,
       left(e.village_code, 6)        AS county_code,
       left(e.village_code, 9)        AS township_code,
       e.village_code,
       NULL::TEXT                     AS household_id,
       e.period                       AS subject_period,
       e.detail,
       NULL::DOUBLE                   AS evidence_value
FROM (SELECT * FROM errors UNION ALL SELECT * FROM rejected) e
ORDER BY subject_key;
