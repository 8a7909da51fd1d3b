-- the rows of latest_found put in household_latest where they come after the one kept for their village and
-- household (latest period, then the latest file and its earliest row), or where none is kept
DELETE FROM household_latest h USING latest_found n
WHERE h.village_code = n.village_code AND h.household_id = n.household_id
  AND (n.period, n.file_id, -n.source_row) > (h.period, h.file_id, -h.source_row);
INSERT INTO household_latest BY NAME
SELECT n.* EXCLUDE (named) FROM latest_found n ANTI JOIN household_latest h USING (village_code, household_id);
