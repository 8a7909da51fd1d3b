-- one row per refused decision check of an import on or after the first day of the as-of month $period, for the
-- counties of $county_codes (by the case the row named), at most 200 a county, latest import first. A row of a
-- file checked again by a later import of the same bytes (the same day too: by check_seq) shows the reasons of its
-- latest check only, and none once that import applied it. refused_count: how many there are, the rows the cut
-- leaves out included (the page heads the list with it and says the list is cut)
WITH refusals AS (  -- a refusal recorded before file_sheet was kept names its sheet at the end of its reason alone
    SELECT *, coalesce(file_sheet, nullif(regexp_extract(detail, '（工作表“(.+)”）$', 1), '')) AS sheet
    FROM case_import_refusals
    WHERE list_contains($county_codes, county_code)
), latest AS (
    SELECT * EXCLUDE (sheet) FROM refusals r
    WHERE NOT EXISTS (SELECT 1 FROM case_events e
                      WHERE e.file_sha256 = r.file_sha256 AND e.file_row = r.file_row AND e.case_id = r.case_id
                        AND (e.file_sheet IS NOT DISTINCT FROM r.file_sheet OR e.file_sheet = r.sheet))
    -- rows recorded before checks were numbered (check_seq NULL) come before every numbered one, latest by day
    QUALIFY rank() OVER (PARTITION BY file_sha256, sheet, file_row, case_id
                         ORDER BY check_seq DESC NULLS LAST, imported_on DESC) = 1
)
SELECT county_code, file_name, file_row, case_id, code, mask_ids(detail) AS detail, strftime(imported_on, '%Y-%m-%d') AS imported_on,
       count(*) OVER (PARTITION BY county_code) AS refused_count
FROM latest
WHERE imported_on >= CAST(strptime(coalesce($period, '000101') || '01', '%Y%m%d') AS DATE)
QUALIFY row_number() OVER (PARTITION BY county_code ORDER BY imported_on DESC, file_name, file_row, code) <= 200
ORDER BY county_code, imported_on DESC, file_name, file_row, code;
