-- one row per case named in $case_ids (the 台账编号 of an imported workbook): its current state
SELECT * FROM cases WHERE list_contains($case_ids, case_id);
