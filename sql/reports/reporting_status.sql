-- one row per village of each county of $county_codes × month of the income year of $period up to $period: how
-- its return stands, as DHIS2's reporting rate counts it: 'on_time' (a usable return dated by day $due_day of the
-- next month), 'late' (dated after it), 'unusable' (a return whose every row is in error: no usable return, as
-- MISSING_RETURN says), 'rejected' (only rejected files), 'missing' (nothing). The date is the
-- return's 填报日期 (the latest in the file), else the day the file was delivered (its time in the inbox when its
-- bytes first came to that path, as the delivery log keeps it; in a store older than that record, the path's time
-- while it still holds them; UTC+8), else the day it was ingested. days_late: after the due date (late returns); days_overdue: from the due
-- date to $today (unusable, rejected and missing returns, when past due)
WITH bounds AS (
    SELECT make_date(income_year_of($period) - 1, 10, 1) AS first_day,
           strptime($period || '01', '%Y%m%d')::DATE     AS last_day
), periods AS (
    SELECT strftime(d, '%Y%m')                                             AS period,
           (d + INTERVAL 1 MONTH + INTERVAL 1 DAY * ($due_day - 1))::DATE  AS due_date
    FROM bounds, range(first_day, last_day + INTERVAL 1 DAY, INTERVAL 1 MONTH) t(d)
), villages AS (
    SELECT t.parent_code AS county_code, t.name AS township_name, v.code AS village_code, v.name AS village_name
    FROM admin_units v
    JOIN admin_units t ON t.code = v.parent_code AND t.level = 'township'
    WHERE v.level = 'village' AND list_contains($county_codes, t.parent_code)
), current AS (
    SELECT c.file_id, c.village_code, c.period, c.first_path, c.sha256, c.ingested_at, c.rows_used
    FROM current_files c
    WHERE c.period IN (SELECT period FROM periods) AND list_contains($county_codes, left(c.village_code, 6))
), dated AS (
    SELECT c.village_code, c.period, max(c.rows_used) > 0 AS is_usable,
           coalesce(max(r.report_date),
                    any_value((make_timestamp(coalesce(l.mtime_ns, p.mtime_ns) // 1000) + INTERVAL 8 HOUR)::DATE),
                    any_value(c.ingested_at::DATE))                          AS report_date
    FROM current c
    LEFT JOIN file_report_dates r ON r.file_id = c.file_id
    -- the bytes' first delivery at that path: a copy sent over them later (rejected, or the same again) dates nothing
    LEFT JOIN (SELECT path, sha256, arg_min(mtime_ns, delivery_id) AS mtime_ns FROM deliveries
               WHERE mtime_ns IS NOT NULL GROUP BY ALL) l ON l.path = c.first_path AND l.sha256 = c.sha256
    LEFT JOIN delivered_paths p ON p.path = c.first_path AND p.sha256 = c.sha256
    GROUP BY c.village_code, c.period
), rejected AS (  -- read only where no loaded version stands (no date): there every rejected file is still listed
    SELECT DISTINCT village_code, period FROM source_files
    WHERE status = 'rejected' AND period IN (SELECT period FROM periods)
)
SELECT v.county_code, v.township_name, v.village_code, v.village_name, p.period, p.due_date, d.report_date,
       CASE WHEN NOT d.is_usable THEN 'unusable'
            WHEN d.report_date IS NOT NULL AND d.report_date <= p.due_date THEN 'on_time'
            WHEN d.report_date IS NOT NULL THEN 'late'
            WHEN j.village_code IS NOT NULL THEN 'rejected'
            ELSE 'missing' END                                              AS return_status,
       CASE WHEN d.is_usable AND d.report_date > p.due_date THEN date_diff('day', p.due_date, d.report_date) END AS days_late,
       CASE WHEN (d.report_date IS NULL OR NOT d.is_usable) AND CAST($today AS DATE) > p.due_date
            THEN date_diff('day', p.due_date, CAST($today AS DATE)) END      AS days_overdue
FROM villages v
CROSS JOIN periods p
LEFT JOIN dated d ON d.village_code = v.village_code AND d.period = p.period
LEFT JOIN rejected j ON j.village_code = v.village_code AND j.period = p.period
ORDER BY v.county_code, v.village_code, p.period;
