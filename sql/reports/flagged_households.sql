-- one row per flagged household in $period of each county of $county_codes, at most $row_limit a county
-- (the first in the page's order), with the status of its cases; names and ID numbers masked here; the reasons as the
-- page shows them (household_status.page_reasons: the flag's 【label】 left to the tags beside them, yuan rounded to
-- whole yuan, written with the month's households; the projection quoted as they quote it, the near-line limit the
-- line × $near_line_factor); a band crossing the line marked, its low end never quoted as the line. The rows are
-- placed and cut first: the cases are read for the rows shown alone (a province's 446,000 flagged households:
-- 442,723 shown at the default [report] flagged_row_limit of 6,000 a county)
WITH shown AS (
    SELECT h.*,
           row_number() OVER (PARTITION BY h.county_code
                              ORDER BY (h.is_below_line OR h.is_sudden_drop) DESC,
                                       (h.is_unstable_lifted OR h.has_guarantee_gap) DESC,
                                       h.projected_per_capita, h.household_id) AS place
    FROM household_status h
    WHERE list_contains($county_codes, h.county_code) AND h.period = $period AND h.flags <> ''
    QUALIFY place <= $row_limit
)
SELECT h.county_code,
       h.household_id,
       mask_name(h.head_name)                        AS head_name_masked,
       mask_id(h.head_id_number)                     AS head_id_masked,
       coalesce(v.name, h.village_code)              AS village_name,
       coalesce(t.name, h.township_code)             AS township_name,
       h.household_type,
       h.household_size,
       h.projected_per_capita,
       whole_yuan(shown_projection(h, round(h.line * $near_line_factor, 6), true)) AS projected_text,
       format('（{}–{}）', whole_yuan(below_limit(h.projected_low, h.line, true)), whole_yuan(h.projected_high))
                                                     AS band_text,
       h.projected_low < h.line AND h.projected_high >= h.line AS is_band_crossing,
       h.flags,
       h.page_reasons                                AS reasons,
       h.suggested_measure,
       h.risk_causes,
       k.case_text,
       h.place
FROM shown h
LEFT JOIN admin_units v ON v.code = h.village_code
LEFT JOIN admin_units t ON t.code = h.township_code
LEFT JOIN (   -- the status of the household's latest case of each kind (the case ledger, cases.md)
    SELECT household_id,
           string_agg(case_status_label(status) || CASE WHEN overdue_days > 0 THEN format('（逾期{}天）', overdue_days)
                                                        ELSE '' END, '、' ORDER BY kind) AS case_text
    FROM (SELECT * FROM cases WHERE household_id IN (SELECT household_id FROM shown)
          QUALIFY case_number = max(case_number) OVER (PARTITION BY household_id, kind))
    GROUP BY household_id
) k ON k.household_id = h.household_id
ORDER BY h.county_code, h.place;
