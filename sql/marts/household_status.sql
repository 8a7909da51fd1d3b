-- one row per household × period of the county × period units of registered frame mart_units (county_code,
-- unit = period, all of the as-of income year $income_year): projection with its band, the figures compared,
-- and the flags of policy.md with their reasons (Chinese; an estimate quotes its band), guarantee gaps and suggested measure. Thresholds
-- per income year: frame policy_years; band (band_edge): $band_history_prior, $band_remaining_min and
-- $band_remaining_power, while a county has no backtest the first year's default (default_scaled_error:
-- $band_default_spread_low/high × the county's year-over-year spread at the month spread_month names, from at
-- least $band_spread_min_households households' returns of the same month a year before, else
-- $band_default_low/high). SUDDEN_DROP and 稳岗就业 compare the two years to date with their wages through the month
-- festival_matched_month names (the month itself, but the month before both years' Spring Festival wage months where
-- the festival moved and one year to date holds its wages and the other not yet; a household left out of that
-- month's return: its latest month before it on record this year; README "Flags").
-- Reads
-- household_projections made for the same units (the units' household_months rows with their projections).
INSERT INTO household_status
WITH unit_months AS (
    SELECT * FROM household_projections
), unit_rows AS (     -- the units' return rows (names, ID numbers, guarantees), read from their files alone
    SELECT file_id, source_row, head_name, head_id_number, housing_safe, water_safe, dropout_count, insured_count,
           risk_causes
    FROM return_rows
    WHERE file_id IN (SELECT DISTINCT file_id FROM unit_months)
), matched AS (      -- each unit month's month through which the two years' wages are compared, and both
                      -- years' festival wage months (NULL: not in the settings' table)
    SELECT DISTINCT income_month_of(u.unit) AS income_month,
           festival_matched_month(income_month_of(u.unit), f.festival_month, g.festival_month) AS matched_month,
           f.festival_month, g.festival_month AS last_festival_month
    FROM mart_units u
    LEFT JOIN festival_months f ON f.income_year = $income_year
    LEFT JOIN festival_months g ON g.income_year = $income_year - 1
), earlier AS (       -- the latest matched month that is not its unit month (one per year: the month before both
                      -- festival months), 0 when there is none
    SELECT coalesce(max(matched_month), 0) AS last_month FROM matched WHERE matched_month <> income_month
), matched_wages AS ( -- each household's latest return this year up to that month: its month and wages
    SELECT household_id, max(income_month) AS wage_month, arg_max(wage_income, income_month) AS wage_income
    FROM household_months
    WHERE income_year = $income_year AND county_code IN (SELECT county_code FROM mart_units)
      AND income_month <= (SELECT last_month FROM earlier)
    GROUP BY household_id
), last_year AS (     -- the previous income year's months the units compare with (the same month, September, the
                      -- months up to the matched one): the returns, and estimates where one is missing
    SELECT household_id, income_month, household_size, wage_income, ytd_net_income, false AS is_estimated
    FROM household_months
    WHERE income_year = $income_year - 1 AND county_code IN (SELECT county_code FROM mart_units)
      AND (income_month IN (SELECT income_month_of(unit) FROM mart_units UNION ALL SELECT 12)
           OR income_month <= (SELECT last_month FROM earlier))
    UNION ALL
    SELECT household_id, income_month, household_size, wage_income, ytd_net_income, true AS is_estimated
    FROM household_month_gaps
    WHERE income_year = $income_year - 1 AND county_code IN (SELECT county_code FROM mart_units)
      AND (income_month IN (SELECT income_month_of(unit) FROM mart_units UNION ALL SELECT 12)
           OR income_month <= (SELECT last_month FROM earlier))
), measured AS (    -- the month whose year-over-year spread each unit's month's first-year band uses (only
                    -- where the county has no learned band: a province's every night has one)
    SELECT DISTINCT u.county_code, income_month_of(u.unit) AS income_month,
           spread_month(income_month_of(u.unit), f.festival_month, g.festival_month) AS measured_month
    FROM mart_units u
    ANTI JOIN projection_bands b
      ON b.county_code = u.county_code AND b.income_year = $income_year AND b.income_month = income_month_of(u.unit)
    LEFT JOIN festival_months f ON f.income_year = $income_year
    LEFT JOIN festival_months g ON g.income_year = $income_year - 1
), spreads AS (     -- each county's year-over-year spread there (its returns against the same month a year before)
    SELECT s.county_code, s.income_month,
           year_over_year_spread(year_over_year_change(m.ytd_net_income / m.household_size,
                                                       l.ytd_net_income / l.household_size),
                                 $band_spread_min_households) AS spread
    FROM measured s
    JOIN household_months m
      ON m.county_code = s.county_code AND m.income_year = $income_year AND m.income_month = s.measured_month
    JOIN household_months l
      ON l.county_code = s.county_code AND l.income_year = $income_year - 1 AND l.income_month = s.measured_month
     AND l.household_id = m.household_id
    GROUP BY ALL
), scope AS (
    SELECT m.*,
           r.head_name, r.head_id_number, r.housing_safe, r.water_safe, r.dropout_count, r.insured_count,
           r.risk_causes,
           y.line, y.near_line_factor, y.drop_threshold,
           -- to a millionth of a yuan: in binary 3200 × 1.1 is 3520.0000000000005, and 3520.00 is not below it
           round(y.line * y.near_line_factor, 6)               AS near_line_limit,
           prev.ytd_net_income                                  AS previous_ytd_net_income,
           prev.wage_income                                     AS previous_wage_income,
           w.festival_month, w.last_festival_month,
           -- the month both years' wages are compared through: the matched month, or where this year's return of it
           -- left the household out its latest one before (0: no wages compared; NULL: none on record)
           CASE WHEN w.matched_month IN (m.income_month, 0) THEN w.matched_month ELSE cw.wage_month END
                                                                AS wage_month,
           CASE WHEN w.matched_month = m.income_month THEN m.wage_income WHEN w.matched_month = 0 THEN 0
                ELSE cw.wage_income END                         AS compared_wage_income,
           CASE WHEN w.matched_month = m.income_month THEN prev.wage_income WHEN w.matched_month = 0 THEN 0
                ELSE pw.wage_income END                         AS previous_compared_wage_income,
           CASE WHEN prev.is_estimated OR (w.matched_month NOT IN (m.income_month, 0) AND pw.is_estimated)
                THEN '（估算）' ELSE '' END                      AS previous_note,
           -- last year's per-capita: its September return, else the village's column, else an estimate
           coalesce(CASE WHEN NOT sep.is_estimated THEN sep.ytd_net_income / sep.household_size END,
                    m.last_year_per_capita, sep.ytd_net_income / sep.household_size) AS last_year_used,
           CASE WHEN sep.is_estimated AND m.last_year_per_capita IS NULL THEN '（估算）' ELSE '' END AS last_year_note,
           CASE WHEN m.income_month = 12 THEN '全年人均纯收入' ELSE '预计全年人均纯收入' END AS projected_label,
           band_edge(m.projected_per_capita,
                     band_scaled_error(b.low_scaled_error, b.new_low_scaled_error, m.history_years),
                     m.history_years, $band_history_prior::DOUBLE[],
                     default_scaled_error($band_default_spread_low::DOUBLE[], sp.spread,
                                          $band_default_low::DOUBLE[], m.income_month), m.income_month,
                     remaining_share(m.ytd_net_income / m.household_size, m.projected_per_capita, $band_remaining_min),
                     $band_remaining_power)                                                AS projected_low,
           band_edge(m.projected_per_capita,
                     band_scaled_error(b.high_scaled_error, b.new_high_scaled_error, m.history_years),
                     m.history_years, $band_history_prior::DOUBLE[],
                     default_scaled_error($band_default_spread_high::DOUBLE[], sp.spread,
                                          $band_default_high::DOUBLE[], m.income_month), m.income_month,
                     remaining_share(m.ytd_net_income / m.household_size, m.projected_per_capita, $band_remaining_min),
                     $band_remaining_power)                                                AS projected_high
    FROM unit_months m
    JOIN unit_rows r ON r.file_id = m.file_id AND r.source_row = m.source_row
    JOIN policy_years y ON y.income_year = m.income_year
    LEFT JOIN projection_bands b
      ON b.county_code = m.county_code AND b.income_year = m.income_year AND b.income_month = m.income_month
    LEFT JOIN spreads sp ON sp.county_code = m.county_code AND sp.income_month = m.income_month
    LEFT JOIN last_year prev     -- the same month of the previous income year
      ON prev.household_id = m.household_id AND prev.income_month = m.income_month
    LEFT JOIN last_year sep      -- the September return of the previous income year
      ON sep.household_id = m.household_id AND sep.income_month = 12
    LEFT JOIN matched w ON w.income_month = m.income_month
    LEFT JOIN matched_wages cw ON cw.household_id = m.household_id AND w.matched_month NOT IN (m.income_month, 0)
    LEFT JOIN last_year pw       -- the previous income year's month this year's wages are compared through
      ON pw.household_id = m.household_id AND pw.income_month = cw.wage_month
    WHERE m.income_year = $income_year
), compared AS (    -- the two years to date SUDDEN_DROP compares: each year's, its wages through the matched month
    SELECT *,
           ytd_net_income - wage_income + compared_wage_income                    AS compared_ytd_net_income,
           previous_ytd_net_income - previous_wage_income + previous_compared_wage_income
                                                                                  AS previous_compared_ytd_net_income
    FROM scope
), judged AS (
    SELECT *,
           projected_per_capita < line                                                  AS is_below_line,
           projected_per_capita >= line AND projected_per_capita < near_line_limit       AS is_near_line,
           CASE WHEN compared_ytd_net_income IS NOT NULL AND previous_compared_ytd_net_income IS NOT NULL
                THEN previous_compared_ytd_net_income > 0
                     AND compared_ytd_net_income <= previous_compared_ytd_net_income * (1 - drop_threshold) + 1e-6
                ELSE coalesce(last_year_used > 0
                     AND projected_per_capita <= last_year_used * (1 - drop_threshold) + 1e-6, false)
           END                                                                          AS is_sudden_drop,
           coalesce(household_type = '脱贫户' AND last_year_used < line, false)          AS is_unstable_lifted,
           nullif(concat_ws('、',
               CASE WHEN NOT housing_safe THEN '住房不安全' END,
               CASE WHEN NOT water_safe THEN '饮水不安全' END,
               CASE WHEN dropout_count > 0 THEN '义务教育阶段失学辍学' || dropout_count || '人' END,
               CASE WHEN insured_count < household_size
                    THEN '参加基本医疗保险' || insured_count || '人，少于家庭人口' || household_size || '人' END),
           '')                                                                          AS guarantee_gaps,
           CASE WHEN compared_wage_income < previous_compared_wage_income
                  OR contains(coalesce(risk_causes, ''), '务工受阻')
                THEN '稳岗就业' ELSE '公益岗位' END                                          AS labour_measure
    FROM compared
), quoted AS (      -- the fields the reasons' macros read, beside each row as one struct column h: given the CTE's
                    -- row itself (flag_reasons(judged, …)), every field a macro read was bound as a struct of all
                    -- the row's columns, 0.15 s of planning each statement (a night's whole statement: 0.23 s)
    SELECT *, struct_pack(is_below_line, is_near_line, is_sudden_drop, is_unstable_lifted, guarantee_gaps,
                          projected_label, projected_per_capita, projected_low, projected_high, income_month, line,
                          near_line_factor, near_line_limit, compared_ytd_net_income, previous_compared_ytd_net_income,
                          wage_month, festival_month, last_festival_month, previous_note, last_year_note,
                          last_year_used) AS h
    FROM judged
)
-- $with_text false: the text only a page, an export or the ledger reads left NULL (names, ID numbers, reasons, measures,
-- risk causes, gaps), for months flagged only to be counted and removed (tasks/report/history.py): the same flags
SELECT county_code, township_code, village_code, household_id,
       CASE WHEN $with_text THEN head_name END                                          AS head_name,
       CASE WHEN $with_text THEN head_id_number END                                     AS head_id_number,
       household_type,
       household_size, labor_count, period, income_year, income_month, ytd_net_income,
       projected_per_capita,
       projected_low,
       projected_high,
       last_year_used                                                                   AS last_year_per_capita,
       line,
       is_below_line, is_near_line, is_sudden_drop, is_unstable_lifted,
       guarantee_gaps IS NOT NULL                                                       AS has_guarantee_gap,
       concat_ws(';',    -- codes in alphabetical order
           CASE WHEN is_below_line THEN 'BELOW_LINE' END,
           CASE WHEN guarantee_gaps IS NOT NULL THEN 'GUARANTEE_GAP' END,
           CASE WHEN is_near_line THEN 'NEAR_LINE' END,
           CASE WHEN is_sudden_drop THEN 'SUDDEN_DROP' END,
           CASE WHEN is_unstable_lifted THEN 'UNSTABLE_LIFTED' END)                     AS flags,
       -- the reasons for the exports and the ledger, and as the pages show them (sql/schema/007_reason_macros)
       CASE WHEN $with_text THEN flag_reasons(h, false) END                            AS reasons,
       CASE WHEN $with_text THEN flag_reasons(h, true) END                             AS page_reasons,
       CASE WHEN $with_text AND (is_below_line OR is_near_line OR is_sudden_drop OR is_unstable_lifted
                                 OR guarantee_gaps IS NOT NULL)
            THEN coalesce(nullif(concat_ws('、',    -- policy.md 一户一策, in its order; none of them: keep watching
                CASE WHEN contains(coalesce(risk_causes, ''), '因病') OR household_type = '重病户' THEN '医疗救助' END,
                CASE WHEN contains(coalesce(risk_causes, ''), '因残') OR household_type = '重残户' THEN '残疾人补贴' END,
                CASE WHEN contains(coalesce(risk_causes, ''), '因学') OR dropout_count > 0 THEN '教育资助' END,
                CASE WHEN contains(coalesce(risk_causes, ''), '因灾')
                       OR contains(coalesce(risk_causes, ''), '因意外事故') THEN '临时救助' END,
                CASE WHEN NOT housing_safe THEN '危房改造' END,
                CASE WHEN NOT water_safe THEN '饮水改造' END,
                CASE WHEN contains(coalesce(risk_causes, ''), '产业失败') THEN '产业帮扶' END,
                CASE WHEN NOT (is_below_line OR is_sudden_drop) THEN NULL
                     WHEN labor_count = 0 THEN '兜底保障（纳入低保或扩面）'
                     -- a blank 劳动力人数 is unknown, not labour: either measure, settled at the home visit
                     WHEN labor_count IS NULL THEN '兜底保障或' || labour_measure || '（劳动力人数未填，入户核实后确定）'
                     ELSE labour_measure END), ''), '持续监测')
       END                                                                              AS suggested_measure,
       CASE WHEN $with_text THEN risk_causes END                                        AS risk_causes,
       CASE WHEN $with_text THEN guarantee_gaps END                                     AS guarantee_gaps
FROM quoted;
