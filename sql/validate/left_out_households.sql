-- FILE_HOUSEHOLD_MISSING (a warning of the file, no row): one row per household with a used row in the previous
-- month's current file of the village whose current file of $file_ids has no row of it at all (policy.md: a return
-- holds every household of its village). Once: the month after, the household is in neither. A quarantined row
-- is a row (the household is listed as data missing instead); a village with no current file last month is not
-- compared.
INSERT INTO problems (file_id, source_row, household_id, code, level, detail, run_id)
WITH villages AS MATERIALIZED (    -- the current files of the months compared ($periods), the view computed once
    SELECT c.file_id, c.village_code, c.period
    FROM current_files c
    WHERE list_contains($periods, c.period)
), checked AS (
    SELECT c.file_id, p.file_id AS previous_file_id, p.period AS previous_period
    FROM villages c
    JOIN villages p
      ON p.village_code = c.village_code
     AND p.period = months_before(c.period, 1)
    WHERE list_contains($file_ids, c.file_id)
)
SELECT k.file_id, NULL, r.household_id, 'FILE_HOUSEHOLD_MISSING', 'warning',
       format('上月({})报表有此户，本月报表未列：迁出、销户还是漏报？请核实', k.previous_period), $run_id
FROM checked k
JOIN return_rows r ON r.file_id = k.previous_file_id AND NOT r.is_quarantined AND r.household_id IS NOT NULL
ANTI JOIN (SELECT file_id, household_id FROM return_rows WHERE list_contains($file_ids, file_id)) t  -- filtered first:
  ON t.file_id = k.file_id AND t.household_id = r.household_id                                  -- 10× the NOT EXISTS
ORDER BY k.file_id, r.household_id;
