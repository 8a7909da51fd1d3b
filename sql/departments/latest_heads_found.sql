-- into the temporary table latest_heads_found, before latest_found replaces household_latest's rows: each household
-- of latest_found whose latest row (after the replacement) names no head's ID number (not 18 characters: Excel's
-- 4.30521E+17, 17 digits whose X it dropped, an empty cell), or which has a household_head_ids row now: `lost`
-- whether it names none, `had_entry` whether it has a row, and `named` its latest row naming one among those kept
-- (its household_head_ids row, else its kept latest row when that names one) and those of latest_found (`named`),
-- whichever comes later (NULL: none). So only households that lost their head's ID are written, not every one.
CREATE OR REPLACE TEMP TABLE latest_heads_found AS
WITH seen AS (
    SELECT n.village_code, n.household_id, n.named AS found_named, e.household_id IS NOT NULL AS had_entry,
           CASE WHEN k.household_id IS NULL
                  OR (n.period, n.file_id, -n.source_row) > (k.period, k.file_id, -k.source_row)
                THEN length(n.head_id_number) IS DISTINCT FROM 18
                ELSE e.household_id IS NOT NULL OR length(k.head_id_number) IS DISTINCT FROM 18 END AS lost,
           CASE WHEN e.household_id IS NOT NULL
                THEN {'head_id_number': e.head_id_number, 'period': e.period, 'file_id': e.file_id,
                      'source_row': e.source_row}
                WHEN length(k.head_id_number) = 18
                THEN {'head_id_number': k.head_id_number, 'period': k.period, 'file_id': k.file_id,
                      'source_row': k.source_row} END AS kept_named
    FROM latest_found n
    LEFT JOIN household_latest k USING (village_code, household_id)
    LEFT JOIN household_head_ids e USING (village_code, household_id)
)
SELECT village_code, household_id, had_entry, lost,
       CASE WHEN kept_named IS NULL THEN found_named
            WHEN found_named IS NULL THEN kept_named
            WHEN (found_named.period, found_named.file_id, -found_named.source_row)
                 > (kept_named.period, kept_named.file_id, -kept_named.source_row) THEN found_named
            ELSE kept_named END AS named
FROM seen
WHERE lost OR had_entry;
