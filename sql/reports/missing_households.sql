-- one row per household of each county of $county_codes whose rows were all quarantined in its latest return up to
-- $period with no good row of it in a later month since (policy.md: listed as data missing until a good row
-- arrives, even when the next month's return leaves it out), its latest such month; a row without a usable
-- household_id, or one naming a household never seen in a good row before, only in $period. At most $row_limit a
-- county (the first in the page's order)
WITH candidates AS (   -- a 户编号 of another village (ROW_HOUSEHOLD_ID) names no household of this one: such a row
                       -- is listed as one without a usable 户编号 (its household may be another county's, and have
                       -- good data in its own village's return)
    SELECT m.* REPLACE (CASE WHEN starts_with(m.household_id, m.village_code) THEN m.household_id END AS household_id)
    FROM households_data_missing m
    WHERE list_contains($county_codes, m.county_code) AND m.period <= $period
), good_months AS (  -- each candidate household's first and last month on record up to $period (a good row):
                     -- read for the candidates alone, not a lookup of the whole history per row
    SELECT h.household_id, min(h.period) AS first_good, max(h.period) AS last_good
    FROM household_months h
    SEMI JOIN candidates c ON c.household_id = h.household_id
    WHERE h.period <= $period
    GROUP BY h.household_id
), missing AS (
    SELECT c.*, g.last_good
    FROM candidates c
    LEFT JOIN good_months g ON g.household_id = c.household_id
      -- an earlier month only for a household the store knows from a good row before it: a row whose 户编号 is
      -- wrong (ROW_HOUSEHOLD_ID) names no household a later row could ever bring back
    WHERE c.period = $period OR g.first_good < c.period
    QUALIFY c.household_id IS NULL
         OR row_number() OVER (PARTITION BY c.household_id ORDER BY c.period DESC) = 1
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
WHERE m.last_good IS NULL OR m.last_good <= m.period   -- no good row of it in a later month up to $period
QUALIFY place <= $row_limit
ORDER BY m.county_code, place;
