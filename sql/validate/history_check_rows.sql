-- one row per used household row of the current files in $file_ids: what the history suite checks —
-- each year-to-date amount beside the same household's previous month (same income year only; October
-- starts a new year), and the row's per-capita net income scored against its village × period:
-- |x − median| / (k × 1.4826 × MAD), above 1 = outlier; NULL in villages with fewer than
-- $outlier_min_households used rows or no spread (MAD 0).
-- households_current's rows, read only for the files in question: that view scanned every stored row twice (0.5 s
-- for a night's 10 files at city scale, 0.05 s this way)
WITH scoped AS (
    SELECT h.*,
           (h.wage_income + h.business_income + h.property_income + h.transfer_income - h.business_expense)
               / h.household_size AS per_capita_net_income,
           months_before(h.period, 1) AS previous_period
    FROM return_rows h
    WHERE NOT h.is_quarantined
      AND h.file_id IN (SELECT file_id FROM current_files WHERE list_contains($file_ids, file_id))
),
previous AS (
    SELECT r.*
    FROM return_rows r
    WHERE NOT r.is_quarantined
      AND r.file_id IN (SELECT c.file_id
                        FROM current_files c
                        SEMI JOIN (SELECT DISTINCT village_code, previous_period FROM scoped) w
                          ON w.village_code = c.village_code AND w.previous_period = c.period)
),
village AS (
    SELECT file_id, median(per_capita_net_income) AS village_median_per_capita, count(*) AS household_count
    FROM scoped
    GROUP BY file_id
),
spread AS (
    SELECT s.file_id, median(abs(s.per_capita_net_income - v.village_median_per_capita)) AS mad
    FROM scoped s JOIN village v USING (file_id)
    GROUP BY s.file_id
)
SELECT s.file_id, s.source_row, s.household_id, s.village_code, s.period,
       s.wage_income, s.business_income, s.property_income, s.transfer_income, s.business_expense,
       p.period           AS previous_period,
       p.wage_income      AS wage_income__previous,
       p.business_income  AS business_income__previous,
       p.property_income  AS property_income__previous,
       p.transfer_income  AS transfer_income__previous,
       p.business_expense AS business_expense__previous,
       s.per_capita_net_income,
       v.village_median_per_capita,
       CASE WHEN v.household_count >= $outlier_min_households AND sp.mad > 0
            THEN abs(s.per_capita_net_income - v.village_median_per_capita) / ($outlier_mad_k * 1.4826 * sp.mad)
       END AS per_capita_outlier_score
FROM scoped s
JOIN village v USING (file_id)
JOIN spread sp USING (file_id)
LEFT JOIN previous p
  ON p.village_code = s.village_code
 AND p.household_id = s.household_id
 AND p.period = s.previous_period
 AND right(s.period, 2) <> '10'
ORDER BY s.file_id, s.source_row;
