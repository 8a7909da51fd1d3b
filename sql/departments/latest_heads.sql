-- after latest_found replaced household_latest's rows: household_head_ids and the head's ID of household_latest's
-- rows brought to latest_heads_found. A latest row whose head is no ID number names the head of the household's
-- latest row that named one (the clerk's Excel lost the digits, the household is still the one whose returns named
-- its head); household_head_ids keeps that row for every such household, so it is never looked up in the history.
DELETE FROM household_head_ids e USING latest_heads_found f
WHERE e.village_code = f.village_code AND e.household_id = f.household_id AND f.had_entry;
INSERT INTO household_head_ids
SELECT village_code, household_id, named.head_id_number, named.period, named.file_id, named.source_row
FROM latest_heads_found
WHERE lost AND named IS NOT NULL;
UPDATE household_latest h
SET head_id_number = f.named.head_id_number
FROM latest_heads_found f
WHERE h.village_code = f.village_code AND h.household_id = f.household_id AND f.lost AND f.named IS NOT NULL
  AND h.head_id_number IS DISTINCT FROM f.named.head_id_number;
