-- one row per refused decision check of an import on or after the first day of the as-of month $period, for the
-- counties of $county_codes (by the case the row named), at most 200 a county, latest import first
SELECT county_code, file_name, file_row, case_id, code, mask_ids(detail) AS detail, strftime(imported_on, '%Y-%m-%d') AS imported_on
FROM case_import_refusals
WHERE list_contains($county_codes, county_code)
  AND imported_on >= CAST(strptime(coalesce($period, '000101') || '01', '%Y%m%d') AS DATE)
QUALIFY row_number() OVER (PARTITION BY county_code ORDER BY imported_on DESC, file_name, file_row, code) <= 200
ORDER BY county_code, imported_on DESC, file_name, file_row, code;
