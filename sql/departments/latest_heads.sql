-- household_head_ids brought forward by latest_found's `named` rows (each household's latest row of the months just
-- read whose head's ID is an ID number), where they come after the one kept; then household_latest's rows of those
-- households take their head's ID from it: a latest row whose head is no ID number (Excel's 4.30521E+17, 17 digits
-- whose X it dropped, an empty cell) names the head of the household's latest row that named one; a latest row that
-- names one is that row itself. The clerk's Excel lost the digits, the household is still the one whose returns
-- named its head. Kept, not looked up in the history: finding it there read every return row of every month.
DELETE FROM household_head_ids k USING latest_found n
WHERE k.village_code = n.village_code AND k.household_id = n.household_id AND n.named IS NOT NULL
  AND (n.named.period, n.named.file_id, -n.named.source_row) > (k.period, k.file_id, -k.source_row);
INSERT INTO household_head_ids
SELECT n.village_code, n.household_id, n.named.head_id_number, n.named.period, n.named.file_id, n.named.source_row
FROM latest_found n ANTI JOIN household_head_ids k USING (village_code, household_id)
WHERE n.named IS NOT NULL;
UPDATE household_latest h
SET head_id_number = k.head_id_number
FROM household_head_ids k SEMI JOIN latest_found n USING (village_code, household_id)
WHERE h.village_code = k.village_code AND h.household_id = k.household_id
  AND h.head_id_number IS DISTINCT FROM k.head_id_number;
