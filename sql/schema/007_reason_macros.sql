-- the reasons of household_status's flags (policy.md), written two ways from the same figures: for the exports and
-- the ledger (whole = false: each reason after its 【label】, yuan to the fen) and for the pages (whole = true: no
-- label, the flag's tag stands beside it; yuan rounded to whole yuan with thousands separators). h is a row of
-- household_status's judged households: a struct of the fields the macros read (the statement's column `h`).
-- an amount in whole yuan with thousands separators: its figure to the fen (as the exports write it) rounded half up
-- (四舍五入), so that a page never rounds 4769.50 down or 4769.496 otherwise than the exports' 4769.50 reads
CREATE OR REPLACE MACRO whole_yuan(amount) AS
    format('{:,.0f}', round(CAST(format('{:.2f}', amount) AS DOUBLE)));
-- an amount of yuan as a reason quotes it
CREATE OR REPLACE MACRO reason_yuan(amount, whole) AS
    CASE WHEN whole THEN whole_yuan(amount) || '元' ELSE format('{:.2f}元', amount) END;
-- an amount a flag found below a limit, as it may be quoted (to the fen, or whole yuan as whole_yuan rounds): itself,
-- unless rounding would make it read as the limit (3999.9967 is below the line of 4000; rounded, it reads 4000.00
-- or 4,000, "below 4,000"), then the largest figure below the limit (3999.99, 3,999); a NULL limit: itself
CREATE OR REPLACE MACRO below_limit(amount, lim, whole) AS
    CASE WHEN amount < lim
              AND CASE WHEN whole THEN round(CAST(format('{:.2f}', amount) AS DOUBLE))
                       ELSE CAST(format('{:.2f}', amount) AS DOUBLE) END >= lim
         THEN CASE WHEN whole THEN ceil(lim) - 1 ELSE (ceil(lim * 100) - 1) / 100 END
         ELSE amount END;
-- a household's projection (h: a row of household_status or of its statement) as its reasons and lists quote it: a
-- figure below the line (BELOW_LINE) or below near_line_limit, the line × the near-line factor (NEAR_LINE), never
-- reads as that limit (below_limit)
CREATE OR REPLACE MACRO shown_projection(h, near_line_limit, whole) AS
    below_limit(h.projected_per_capita,
                CASE WHEN h.is_below_line THEN h.line WHEN h.is_near_line THEN near_line_limit END, whole);
-- shown_projection as a reason quotes it
CREATE OR REPLACE MACRO projection_yuan(h, whole) AS
    reason_yuan(shown_projection(h, h.near_line_limit, whole), whole);
-- a reason's 【label】, left out where the page's tag shows the flag
CREATE OR REPLACE MACRO reason_label(label, whole) AS
    CASE WHEN whole THEN '' ELSE label END;
-- the band quoted beside an estimate (none at month 12: the year is known); a low end below the line (临界待核)
-- never reads as the line (below_limit)
CREATE OR REPLACE MACRO reason_band(h, whole) AS
    CASE WHEN NOT h.income_month < 12 OR h.income_month IS NULL THEN ''
         WHEN whole THEN format('（区间{}–{}）', reason_yuan(below_limit(h.projected_low, h.line, true), true),
                                reason_yuan(h.projected_high, true))
         ELSE format('（区间{:.2f}–{}）', below_limit(h.projected_low, h.line, false),
                     reason_yuan(h.projected_high, false)) END;
-- what SUDDEN_DROP's years to date leave out where the Spring Festival's wage month moved between the two years
-- (household_status's matched month is not the month itself): the wages after the month before both festival months
CREATE OR REPLACE MACRO festival_matched_note(h) AS
    CASE WHEN h.wage_month = h.income_month THEN ''
         WHEN h.wage_month = 0
         THEN format('（春节务工收入本年{}月、上年{}月到账，两年均不计工资性收入）',
                     calendar_month(h.festival_month), calendar_month(h.last_festival_month))
         ELSE format('（春节务工收入本年{}月、上年{}月到账，工资性收入两年均计至{}月）',
                     calendar_month(h.festival_month), calendar_month(h.last_festival_month),
                     calendar_month(h.wage_month)) END;
-- every flag's reason, in the order of the flags' codes
CREATE OR REPLACE MACRO flag_reasons(h, whole) AS
    concat_ws('；',
        CASE WHEN h.is_below_line THEN format('{}{}{}{}，低于监测线{}', reason_label('【低于监测线】', whole),
            h.projected_label, projection_yuan(h, whole), reason_band(h, whole),
            reason_yuan(h.line, whole)) END,
        CASE WHEN h.guarantee_gaps IS NOT NULL THEN reason_label('【三保障及饮水问题】', whole) || h.guarantee_gaps END,
        CASE WHEN h.is_near_line THEN format('{}{}{}{}，不足监测线{}的{}倍（{}）', reason_label('【临界边缘】', whole),
            h.projected_label, projection_yuan(h, whole), reason_band(h, whole),
            reason_yuan(h.line, whole), h.near_line_factor, reason_yuan(h.near_line_limit, whole)) END,
        CASE WHEN h.is_sudden_drop AND h.compared_ytd_net_income IS NOT NULL
                  AND h.previous_compared_ytd_net_income IS NOT NULL
             THEN format('{}截至本月累计纯收入{}{}，比上年同期{}{}减少{:.1f}%', reason_label('【收入骤减】', whole),
                  festival_matched_note(h), reason_yuan(h.compared_ytd_net_income, whole), h.previous_note,
                  reason_yuan(h.previous_compared_ytd_net_income, whole),
                  100 * (h.previous_compared_ytd_net_income - h.compared_ytd_net_income)
                      / h.previous_compared_ytd_net_income)
             WHEN h.is_sudden_drop
             THEN format('{}{}{}{}，比上年人均纯收入{}{}减少{:.1f}%', reason_label('【收入骤减】', whole),
                  h.projected_label, projection_yuan(h, whole), reason_band(h, whole),
                  h.last_year_note, reason_yuan(h.last_year_used, whole),
                  100 * (h.last_year_used - h.projected_per_capita) / h.last_year_used) END,
        CASE WHEN h.is_unstable_lifted THEN format('{}脱贫户上年人均纯收入{}{}，低于本年监测线{}',
            reason_label('【脱贫不稳定】', whole), h.last_year_note,
            reason_yuan(below_limit(h.last_year_used, h.line, whole), whole),
            reason_yuan(h.line, whole)) END);
