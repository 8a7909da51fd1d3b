-- one row per household of each county of $county_codes whose rows were all quarantined in its latest return up to
-- $period with no good row of it in a later month since (policy.md: listed as data missing until a good row
-- arrives, even when the next month's return leaves it out), its latest such month; a row without a usable
-- household_id, or one naming a household never seen in a good row before, only in $period. At most $row_limit a
-- county (the first in the page's order)
WITH missing AS (
    SELECT m.*
    FROM households_data_missing m
    WHERE list_contains($county_codes, m.county_code) AND m.period <= $period
      -- an earlier month only for a household the store knows from a good row before it: a row whose 户编号 is
      -- wrong (ROW_HOUSEHOLD_ID) names no household a later row could ever bring back
      AND (m.period = $period
           OR EXISTS (SELECT 1 FROM household_months h WHERE h.household_id = m.household_id AND h.period < m.period))
    QUALIFY m.household_id IS NULL
         OR row_number() OVER (PARTITION BY m.household_id ORDER BY m.period DESC) = 1
)
SELECT m.county_code,
       m.village_code,
       coalesce(v.name, m.village_code)              AS village_name,
       m.household_id,
       m.period,
       m.file_name,
       array_to_string(m.source_rows, '、')           AS source_rows,
       m.reason_codes,
       row_number() OVER (PARTITION BY m.county_code
                          ORDER BY m.period DESC, m.village_code, m.household_id NULLS LAST, m.source_rows) AS place
FROM missing m
LEFT JOIN admin_units v ON v.code = m.village_code
WHERE NOT EXISTS (SELECT 1 FROM household_months h
                  WHERE h.household_id = m.household_id AND h.period > m.period AND h.period <= $period)
QUALIFY place <= $row_limit
ORDER BY m.county_code, place;
