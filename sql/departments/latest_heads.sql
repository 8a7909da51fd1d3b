-- latest_found's rows whose head is no ID number (not 18 characters: Excel's 4.30521E+17, 17 digits whose X it
-- dropped, an empty cell) given the head's ID of their household's latest usable row up to $as_of in that village
-- that names one: the clerk's Excel lost the digits, the household is still the one whose returns named its head
UPDATE latest_found f
SET head_id_number = h.head_id_number
FROM (
    SELECT c.village_code, c.household_id,
           arg_max(c.head_id_number, (c.period, c.file_id, -c.source_row)) AS head_id_number
    FROM households_current c
    JOIN (SELECT village_code, household_id FROM latest_found
          WHERE length(head_id_number) IS DISTINCT FROM 18) b USING (village_code, household_id)
    WHERE c.period <= $as_of AND length(c.head_id_number) = 18
    GROUP BY c.village_code, c.household_id
) h
WHERE f.village_code = h.village_code AND f.household_id = h.household_id
  AND length(f.head_id_number) IS DISTINCT FROM 18;
