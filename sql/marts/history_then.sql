-- the temporary history_then: for the county × complete income year units of registered frame mart_units
-- (unit = income year Y), one row per month 1–11 of Y × village × period of an earlier year whose file version
-- current when that month was first run differs from the current one: a correction (or a late return) of an
-- earlier year sent after the month was run. then_file_id is the version current then (NULL: none had come),
-- current_file_id the current one (NULL: none is current now). The backtest projects such months from the
-- earlier years as they stood then (tasks/marts/backtest_then.py), so a correction sent later informs no earlier
-- month's calendars, county shares or last year's September. The year's October counts as earlier for its later
-- months: last year's September estimated for a household left out of it reads whether the household is back in
-- October (marts/household_month_gaps), so an October corrected or returned after a month was run must not inform it
-- where it changed who is in it.
-- When a month was run: the end of the earliest run that delivered one of its county's returns of that month
-- (as_run_files: a run's deliveries share run_id and delivered_at). What had come by then: a file with a
-- delivery up to that end (at the latest such delivery, for the correction rules), or a file older than the
-- delivery log; in a store older than the log, a month's run is its files' earliest ingest_run_id and a file had
-- come if its ingest_run_id is not later. arrival orders the two: every run of the log after every run before it.
CREATE OR REPLACE TEMP TABLE history_then AS
WITH units AS (
    SELECT county_code, CAST(unit AS INTEGER) AS income_year FROM mart_units
), loaded AS (
    SELECT f.file_id, f.village_code, f.period, left(f.village_code, 6) AS county_code, f.correction_rank,
           f.ingest_run_id, f.file_name, f.sha256, f.last_delivery_id
    FROM file_versions f
    WHERE f.status = 'loaded' AND f.village_code IS NOT NULL AND f.period IS NOT NULL
      AND left(f.village_code, 6) IN (SELECT county_code FROM units)
), month_units AS (   -- each village × month of the units' years with the run that first brought it
    SELECT l.county_code, l.village_code, l.period,
           min(CASE WHEN d.delivery_id IS NULL THEN l.ingest_run_id END) AS first_run_id,
           min(d.delivery_id) AS first_delivery_id
    FROM loaded l
    JOIN units u ON u.county_code = l.county_code AND u.income_year = income_year_of(l.period)
    LEFT JOIN deliveries d ON d.sha256 = l.sha256 AND d.file_name = l.file_name
    WHERE income_month_of(l.period) < 12
    GROUP BY ALL
), run_bounds AS (     -- each run's last delivery
    SELECT run_id, delivered_at, max(delivery_id) AS run_end FROM deliveries GROUP BY ALL
), run_ends AS (       -- the last delivery of the run that first delivered each of them
    SELECT m.county_code, m.period, b.run_end
    FROM month_units m
    JOIN deliveries f ON f.delivery_id = m.first_delivery_id
    JOIN run_bounds b ON b.run_id = f.run_id AND b.delivered_at = f.delivered_at
), month_cutoffs AS (  -- each month's first run: the earliest of its villages'
    SELECT county_code, income_year_of(period) AS income_year, income_month_of(period) AS income_month,
           min(cutoff) AS cutoff
    FROM (SELECT county_code, period, (1::BIGINT << 40) + run_end AS cutoff FROM run_ends
          UNION ALL
          SELECT county_code, period, first_run_id FROM month_units WHERE first_delivery_id IS NULL)
    GROUP BY ALL
), arrivals AS (      -- each earlier-year file of those counties, and of the year's October, with every arrival it had
    SELECT l.*, u.income_year AS target_year,
           coalesce((1::BIGINT << 40) + d.delivery_id, l.ingest_run_id) AS arrival
    FROM loaded l
    JOIN units u ON u.county_code = l.county_code AND l.period <= period_of(u.income_year, 1)
    LEFT JOIN deliveries d ON d.sha256 = l.sha256 AND d.file_name = l.file_name
), late AS (          -- earlier village × periods with an arrival after the year's first month was run
    SELECT DISTINCT a.county_code, a.target_year, a.village_code, a.period
    FROM arrivals a
    JOIN (SELECT county_code, income_year, min(cutoff) AS first_cutoff FROM month_cutoffs GROUP BY ALL) c
      ON c.county_code = a.county_code AND c.income_year = a.target_year
    WHERE a.arrival > c.first_cutoff
), known AS (         -- the late units' files that had come by each month's run, with their latest arrival then
    SELECT c.county_code, c.income_year, c.income_month, a.village_code, a.period, a.file_id,
           any_value(a.correction_rank) AS correction_rank, any_value(a.ingest_run_id) AS ingest_run_id,
           any_value(a.file_name) AS file_name,
           max(CASE WHEN a.arrival >= (1::BIGINT << 40) THEN a.arrival END) AS delivered_by_then
    FROM month_cutoffs c
    JOIN late k ON k.county_code = c.county_code AND k.target_year = c.income_year
    JOIN arrivals a ON a.county_code = k.county_code AND a.target_year = k.target_year
                   AND a.village_code = k.village_code AND a.period = k.period
    WHERE a.arrival <= c.cutoff AND a.period < period_of(c.income_year, c.income_month)
    GROUP BY ALL
), then_versions AS (
    SELECT county_code, income_year, income_month, village_code, period, file_id FROM known
    QUALIFY row_number() OVER (PARTITION BY county_code, income_year, income_month, village_code, period
                               ORDER BY correction_rank DESC, delivered_by_then DESC NULLS LAST, ingest_run_id DESC,
                                        file_name DESC, file_id DESC) = 1
    UNION ALL         -- the October itself reads it as run, as the month's own rows do
    SELECT k.county_code, k.target_year, 1, k.village_code, k.period, a.file_id
    FROM late k
    JOIN as_run_files a ON a.village_code = k.village_code AND a.period = k.period
    WHERE k.period = period_of(k.target_year, 1)
), now_versions AS (
    SELECT c.county_code, c.income_year, c.income_month, k.village_code, k.period, f.file_id
    FROM month_cutoffs c
    JOIN late k ON k.county_code = c.county_code AND k.target_year = c.income_year
    JOIN current_files f ON f.village_code = k.village_code AND f.period = k.period
), differing AS (
    SELECT coalesce(t.county_code, n.county_code) AS county_code,
           coalesce(t.income_year, n.income_year) AS income_year,
           coalesce(t.income_month, n.income_month) AS income_month,
           coalesce(t.village_code, n.village_code) AS village_code,
           coalesce(t.period, n.period) AS period,
           t.file_id AS then_file_id,
           n.file_id AS current_file_id
    FROM then_versions t
    FULL JOIN now_versions n
      ON n.county_code = t.county_code AND n.income_year = t.income_year AND n.income_month = t.income_month
     AND n.village_code = t.village_code AND n.period = t.period
    WHERE t.file_id IS DISTINCT FROM n.file_id
), october_households AS (  -- the gap estimates read only who is in October: a correction of its amounts changes nothing
    SELECT file_id, list_sort(list(DISTINCT household_id)) AS households
    FROM return_rows
    WHERE file_id IN (SELECT unnest([then_file_id, current_file_id]) FROM differing
                      WHERE period = period_of(income_year, 1))
      AND NOT is_quarantined AND household_id IS NOT NULL AND household_size > 0
    GROUP BY file_id
)
SELECT d.*
FROM differing d
LEFT JOIN october_households t ON t.file_id = d.then_file_id
LEFT JOIN october_households n ON n.file_id = d.current_file_id
WHERE d.period < period_of(d.income_year, 1) OR coalesce(t.households, []) <> coalesce(n.households, []);
