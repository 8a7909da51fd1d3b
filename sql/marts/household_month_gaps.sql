-- one row per household × month missing between the household's returns of an income year (or before its
-- first / after its last one up to its county's last month, where its village sent no usable return or its
-- row was quarantined): the year-to-date amounts estimated from the household's nearest months before and
-- after, moved along the county's seasonal shares (interpolated between the two; scaled from one alone).
-- Comparisons with "the same month last year" and "last year's September" read these where the real row
-- is missing. A household that joined later is not back-filled; one left out of the year's last months and back in
-- the next October is (its September is last year's figure for the next year). For the county × income year units of
-- registered frame mart_units (county_code, unit = income year). Months before the county's first usable return
-- of the year are not estimated: no return of the county anchors them (a store whose history begins mid-year, a
-- county whose every return of the year's first months was unusable), and extrapolating the year to date back
-- along shares the year never confirmed would compare the next year with figures nobody sent (README, "Projection,
-- flags and signals"); the next year's months then compare as with no previous year on record. The households
-- estimated are those of the temporary gap_households: the household-years missing a month (marts/gap_households),
-- or, when only the next October changed, those whose estimates after their last return it may change
-- (marts/gap_tail_households), of which with $tails_only only those estimates are made. Parameters: $share_min,
-- $tails_only.
INSERT INTO household_month_gaps
WITH unit_keys AS (      -- each part scans only the columns it needs: the units' rows were made once whole (18 M
                         -- rows for a province's year, every column), which one statement over all its counties
                         -- paid 4.4 s for against 2.7 s (in the refresh's groups of three counties, the same time)
    SELECT county_code, CAST(unit AS INTEGER) AS income_year FROM mart_units
), county_months AS (    -- the months a return of the county was usable (as those of any of its villages)
    SELECT m.county_code, m.income_year, min(m.income_month) AS first_month, max(m.income_month) AS last_month
    FROM household_months m JOIN unit_keys u USING (county_code, income_year) GROUP BY ALL
), ordered AS MATERIALIZED (  -- the returns of the households estimated, read once (the villages' months below
                                -- are looked up for their villages alone)
    SELECT household_id, village_code, county_code, income_year, household_size, income_month,
           wage_income, business_income, property_income, transfer_income, business_expense,
           lag(income_month) OVER w       AS previous_month,
           lead(income_month) OVER w      AS next_month,
           lead(wage_income) OVER w       AS next_wage,
           lead(business_income) OVER w   AS next_business,
           lead(property_income) OVER w   AS next_property,
           lead(transfer_income) OVER w   AS next_transfer,
           lead(business_expense) OVER w  AS next_expense
    FROM household_months m JOIN unit_keys u USING (county_code, income_year)
    SEMI JOIN gap_households USING (household_id, income_year)
    WINDOW w AS (PARTITION BY household_id, income_year ORDER BY income_month)
), village_months AS (   -- the months a village's return was usable, for the villages of those households
    SELECT DISTINCT m.county_code, m.village_code, m.income_year, m.income_month
    FROM household_months m JOIN unit_keys u USING (county_code, income_year)
    SEMI JOIN (SELECT DISTINCT village_code, income_year FROM ordered) o USING (village_code, income_year)
), quarantined AS (      -- household rows of current returns held back by an error
    SELECT DISTINCT r.household_id, income_year_of(r.period) AS income_year, income_month_of(r.period) AS income_month
    FROM return_rows r JOIN current_files c USING (file_id)
    JOIN mart_units u ON u.county_code = left(c.village_code, 6) AND CAST(u.unit AS INTEGER) = income_year_of(c.period)
    WHERE r.is_quarantined AND r.household_id IS NOT NULL
), cells AS (            -- after each return: the months up to the next one (or the county's last month)
    SELECT o.household_id, o.village_code, o.county_code, o.income_year, o.household_size,
           unnest(range(o.income_month + 1, coalesce(o.next_month, c.last_month + 1))) AS income_month,
           o.income_month AS before_month, o.next_month AS after_month, o.next_month IS NULL AS is_tail,
           o.wage_income AS b_wage, o.business_income AS b_business, o.property_income AS b_property,
           o.transfer_income AS b_transfer, o.business_expense AS b_expense,
           o.next_wage AS a_wage, o.next_business AS a_business, o.next_property AS a_property,
           o.next_transfer AS a_transfer, o.next_expense AS a_expense
    FROM ordered o JOIN county_months c USING (county_code, income_year)
    UNION ALL            -- before the first return of the year, from the county's first month of it
    SELECT o.household_id, o.village_code, o.county_code, o.income_year, o.household_size,
           unnest(range(c.first_month, o.income_month)) AS income_month, NULL, o.income_month, true,
           NULL, NULL, NULL, NULL, NULL,
           o.wage_income, o.business_income, o.property_income, o.transfer_income, o.business_expense
    FROM ordered o JOIN county_months c USING (county_code, income_year)
    WHERE o.previous_month IS NULL AND o.income_month > c.first_month
), back_next_year AS (  -- households in their county's return of the next income year's first month (October)
    SELECT DISTINCT m.household_id, m.income_year - 1 AS income_year
    FROM household_months m
    JOIN mart_units u ON u.county_code = m.county_code AND CAST(u.unit AS INTEGER) = m.income_year - 1
    WHERE m.income_month = 1
), kept AS (             -- at the ends, only where the return was missing or the row quarantined, or after the
                         -- year's last return of a household that is back the next October (left out, not gone)
    SELECT g.* FROM cells g
    WHERE (NOT $tails_only OR g.after_month IS NULL) AND (NOT g.is_tail
       OR (g.after_month IS NULL
           AND EXISTS (SELECT 1 FROM back_next_year n WHERE n.household_id = g.household_id
                       AND n.income_year = g.income_year))
       OR NOT EXISTS (SELECT 1 FROM village_months v WHERE v.village_code = g.village_code
                      AND v.income_year = g.income_year AND v.income_month = g.income_month)
       OR EXISTS (SELECT 1 FROM quarantined q WHERE q.household_id = g.household_id
                  AND q.income_year = g.income_year AND q.income_month = g.income_month))
), estimated AS (
    SELECT g.household_id, g.county_code, g.income_year, g.income_month, g.household_size,
           g.before_month, g.after_month,
           estimate_ytd(b_wage, a_wage, sb.wage_share, s.wage_share, sa.wage_share, $share_min) AS wage_income,
           estimate_ytd(b_business, a_business, sb.business_share, s.business_share, sa.business_share,
                        $share_min)                                                           AS business_income,
           estimate_ytd(b_property, a_property, sb.property_share, s.property_share, sa.property_share,
                        $share_min)                                                           AS property_income,
           estimate_ytd(b_transfer, a_transfer, sb.transfer_share, s.transfer_share, sa.transfer_share,
                        $share_min)                                                           AS transfer_income,
           estimate_ytd(b_expense, a_expense, sb.expense_share, s.expense_share, sa.expense_share,
                        $share_min)                                                           AS business_expense
    FROM kept g
    JOIN seasonal_shares s
      ON s.county_code = g.county_code AND s.income_year = g.income_year AND s.income_month = g.income_month
    LEFT JOIN seasonal_shares sb
      ON sb.county_code = g.county_code AND sb.income_year = g.income_year AND sb.income_month = g.before_month
    LEFT JOIN seasonal_shares sa
      ON sa.county_code = g.county_code AND sa.income_year = g.income_year AND sa.income_month = g.after_month
)
SELECT household_id, county_code, income_year, income_month, household_size, before_month, after_month,
       wage_income, business_income, property_income, transfer_income, business_expense,
       wage_income + business_income + property_income + transfer_income - business_expense AS ytd_net_income
FROM estimated;
