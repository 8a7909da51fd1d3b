-- one row per village × period × signal code, for the county × period units of registered frame mart_units
-- (county_code, unit = period, all of one income year): MISSING_RETURN, THRESHOLD_BUNCHING, IDENTICAL_ROWS
-- (policy.md). Thresholds per income year: frame policy_years. Needs household_status of the same units.
INSERT INTO village_signals
WITH villages AS (
    SELECT code AS village_code, left(code, 6) AS county_code, left(code, 9) AS township_code
    FROM admin_units WHERE level = 'village'
), missing AS (      -- no usable return: no row left after rejected files and quarantined rows
    SELECT v.county_code, v.township_code, v.village_code, p.unit AS period, 'MISSING_RETURN' AS code,
           CASE WHEN c.file_id IS NOT NULL THEN format('{}月报的{}行均有错误，无可用数据', p.unit, c.rows_read)
                WHEN r.rejected_count > 0 THEN format('{}月报未按期报送：收到{}个文件均被拒收', p.unit, r.rejected_count)
                ELSE format('{}月报未按期报送', p.unit) END AS detail
    FROM villages v
    JOIN mart_units p ON p.county_code = v.county_code
    LEFT JOIN current_files c ON c.village_code = v.village_code AND c.period = p.unit
    LEFT JOIN (SELECT village_code, period, count(*) AS rejected_count FROM source_files
               WHERE status = 'rejected' GROUP BY ALL) r
      ON r.village_code = v.village_code AND r.period = p.unit
    WHERE NOT EXISTS (SELECT 1 FROM household_months h
                      WHERE h.village_code = v.village_code AND h.period = p.unit)
), near_line AS (    -- households just above (within +window) and just below (within −window) the line (the edges
                     -- to a millionth of a yuan: in binary 3200 × 1.1 is 3520.0000000000005)
    SELECT s.county_code, s.township_code, s.village_code, s.period, y.bunching_min_near, y.bunching_p_value,
           y.bunching_window,
           count(*) FILTER (WHERE s.projected_per_capita >= s.line
                              AND s.projected_per_capita < round(s.line * (1 + y.bunching_window), 6)) AS above_count,
           count(*) FILTER (WHERE s.projected_per_capita < s.line
                              AND s.projected_per_capita >= round(s.line * (1 - y.bunching_window), 6)) AS below_count
    FROM household_status s
    JOIN policy_years y USING (income_year)
    WHERE (s.county_code, s.period) IN (SELECT county_code, unit FROM mart_units)
    GROUP BY ALL
), bunching_tests AS (   -- one-sided binomial test: P(at least above_count of n above | even odds)
    SELECT n.*, n.above_count + n.below_count AS near_count,
           (SELECT sum(exp(lgamma(near_count + 1) - lgamma(j + 1) - lgamma(near_count - j + 1)
                           - near_count * ln(2)))
            FROM range(n.above_count, n.above_count + n.below_count + 1) AS t(j)) AS p_value
    FROM near_line n
), bunching AS (
    SELECT county_code, township_code, village_code, period, 'THRESHOLD_BUNCHING' AS code,
           format('监测线上方{:.0f}%以内{}户、下方{:.0f}%以内{}户，二项检验单侧p={:.4f}（阈值{}，至少{}户）',
                  100 * bunching_window, above_count, 100 * bunching_window, below_count, p_value,
                  bunching_p_value, bunching_min_near) AS detail
    FROM bunching_tests
    WHERE near_count >= bunching_min_near AND p_value < bunching_p_value
), identical_groups AS (  -- households of one village and month with the very same non-trivial figures
    SELECT h.county_code, h.township_code, h.village_code, h.period, y.identical_min_households,
           h.wage_income, h.business_income, h.property_income, h.transfer_income, h.business_expense,
           count(*) AS household_count
    FROM household_months h
    JOIN policy_years y USING (income_year)
    WHERE (h.county_code, h.period) IN (SELECT county_code, unit FROM mart_units)
      -- one figure repeating (zeros, a standard subsidy) is legitimate; copy-paste repeats the whole row
      AND (h.wage_income <> 0)::INT + (h.business_income <> 0)::INT + (h.property_income <> 0)::INT
        + (h.transfer_income <> 0)::INT + (h.business_expense <> 0)::INT >= 2
    GROUP BY ALL
    HAVING count(*) >= any_value(y.identical_min_households)
), identical AS (
    SELECT county_code, township_code, village_code, period, 'IDENTICAL_ROWS' AS code,
           string_agg(format('{}户收入数字完全相同（工资性{:.2f}、经营性{:.2f}、财产性{:.2f}、转移性{:.2f}、经营支出{:.2f}元）',
                             household_count, wage_income, business_income, property_income, transfer_income,
                             business_expense), '；' ORDER BY household_count DESC, wage_income) AS detail
    FROM identical_groups
    GROUP BY ALL
)
SELECT * FROM missing
UNION ALL SELECT * FROM bunching
UNION ALL SELECT * FROM identical;
