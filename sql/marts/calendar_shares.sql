-- one row per household (or village, household_id '') × target income year × month of the income year, for
-- the county × period units of registered frame mart_units (county_code, unit = a YYYYMM period: its income year
-- and month are the target's; a month's calendar is made when that month is first on record, so a new income
-- year's first month does not pay for its other eleven): the share
-- of each income component's year amount reached by that month, by the household's own calendar learned from
-- its complete income years BEFORE the target year, shrunk toward its village's calendar, itself shrunk toward
-- the county's (the median of its households' own calendars, where seasonal_shares, made first, found enough
-- history): share = (n × own + k × wider) / (n + k), n the years (or household-years) with that component,
-- k = $household_prior_years / $village_prior_years. Read from the running sums of the county's latest complete
-- year before the target (calendar_sums), so a new month reads one row per household whatever the
-- history. The wage shares of a history year whose Spring Festival month (registered frame festival_months)
-- differs from the target year's are moved by that month when that year's wages came as a lump in its festival
-- month (calendar_wage_shifts), so a lump that came in February then is expected in January now.
-- A village row serves households with no history of their own (new households); a county row (village_code and
-- household_id '') those of a village with none either (a new village), whose calendar is the county's.
-- history_years: the household's years of history at that month (the most of any component; 0 on village and
-- county rows), which the band narrows with.
-- Every step is month by month, so a month's rows are the same whether made alone or with its year's others.
INSERT INTO calendar_shares
WITH targets AS (
    SELECT county_code, income_year_of(unit) AS target_year, income_month_of(unit) AS target_month
    FROM mart_units
), sources AS (      -- each target's latest running sums before it
    SELECT t.county_code, t.target_year, t.target_month, f.festival_month AS target_festival,
           max(s.through_year) AS through_year
    FROM targets t
    JOIN (SELECT DISTINCT county_code, through_year FROM calendar_sums  -- of the units' counties: their rows
          WHERE county_code IN (SELECT county_code FROM targets)) s     -- alone are read (a province's 45 M: 0.22 s)
      ON s.county_code = t.county_code AND s.through_year < t.target_year
    LEFT JOIN festival_months f ON f.income_year = t.target_year
    GROUP BY ALL
), sums AS (         -- the household's sums, its wage moved to the target's festival month
    SELECT o.target_year, s.county_code, s.village_code, s.household_id, s.income_month,
           s.n_wage, s.wage + coalesce(w.wage_shift, 0) AS wage, s.n_business, s.business,
           s.n_property, s.property, s.n_transfer, s.transfer, s.n_expense, s.expense
    FROM sources o
    JOIN calendar_sums s
      ON s.county_code = o.county_code AND s.through_year = o.through_year AND s.income_month = o.target_month
    LEFT JOIN calendar_wage_shifts w
      ON w.household_id = s.household_id AND w.through_year = s.through_year AND w.income_month = s.income_month
     AND w.target_festival = o.target_festival AND w.county_code = s.county_code
), own AS (
    SELECT target_year, county_code, village_code, household_id, income_month,
           n_wage,     (wage / nullif(n_wage, 0))::DOUBLE         AS wage,
           n_business, (business / nullif(n_business, 0))::DOUBLE AS business,
           n_property, (property / nullif(n_property, 0))::DOUBLE AS property,
           n_transfer, (transfer / nullif(n_transfer, 0))::DOUBLE AS transfer,
           n_expense,  (expense / nullif(n_expense, 0))::DOUBLE   AS expense
    FROM sums
), village AS (      -- pooled over the village's household-years
    SELECT target_year, county_code, village_code, income_month,
           sum(n_wage) AS n_wage,         (sum(wage) / nullif(sum(n_wage), 0))::DOUBLE         AS wage,
           sum(n_business) AS n_business, (sum(business) / nullif(sum(n_business), 0))::DOUBLE AS business,
           sum(n_property) AS n_property, (sum(property) / nullif(sum(n_property), 0))::DOUBLE AS property,
           sum(n_transfer) AS n_transfer, (sum(transfer) / nullif(sum(n_transfer), 0))::DOUBLE AS transfer,
           sum(n_expense) AS n_expense,   (sum(expense) / nullif(sum(n_expense), 0))::DOUBLE   AS expense
    FROM sums GROUP BY ALL
), county AS (       -- the county's calendar: the median of its households' own where seasonal_shares learned
                     -- one, else seasonal_shares (the settings' default)
    SELECT s.county_code, s.income_year AS target_year, s.income_month,
           CASE WHEN s.is_learned THEN coalesce(c.wage, s.wage_share) ELSE s.wage_share END             AS wage,
           CASE WHEN s.is_learned THEN coalesce(c.business, s.business_share) ELSE s.business_share END AS business,
           CASE WHEN s.is_learned THEN coalesce(c.property, s.property_share) ELSE s.property_share END AS property,
           CASE WHEN s.is_learned THEN coalesce(c.transfer, s.transfer_share) ELSE s.transfer_share END AS transfer,
           CASE WHEN s.is_learned THEN coalesce(c.expense, s.expense_share) ELSE s.expense_share END    AS expense
    FROM seasonal_shares s
    JOIN targets t
      ON t.county_code = s.county_code AND t.target_year = s.income_year AND t.target_month = s.income_month
    LEFT JOIN (SELECT target_year, county_code, income_month, median(wage) AS wage, median(business) AS business,
                      median(property) AS property, median(transfer) AS transfer, median(expense) AS expense
               FROM own GROUP BY ALL) c
      ON c.county_code = s.county_code AND c.target_year = s.income_year AND c.income_month = s.income_month
), village_shrunk AS (
    SELECT v.target_year, v.county_code, v.village_code, v.income_month,
           shrink(v.n_wage, v.wage, c.wage, $village_prior_years)             AS wage_share,
           shrink(v.n_business, v.business, c.business, $village_prior_years) AS business_share,
           shrink(v.n_property, v.property, c.property, $village_prior_years) AS property_share,
           shrink(v.n_transfer, v.transfer, c.transfer, $village_prior_years) AS transfer_share,
           shrink(v.n_expense, v.expense, c.expense, $village_prior_years)    AS expense_share
    FROM village v
    JOIN county c USING (target_year, county_code, income_month)
)
SELECT county_code, target_year AS income_year, income_month, '' AS village_code, '' AS household_id,
       wage, business, property, transfer, expense, 0 AS history_years
FROM county
UNION ALL
SELECT county_code, target_year, income_month, village_code, '', wage_share, business_share, property_share,
       transfer_share, expense_share, 0
FROM village_shrunk
UNION ALL
SELECT o.county_code, o.target_year, o.income_month, o.village_code, o.household_id,
       shrink(o.n_wage, o.wage, v.wage_share, $household_prior_years),
       shrink(o.n_business, o.business, v.business_share, $household_prior_years),
       shrink(o.n_property, o.property, v.property_share, $household_prior_years),
       shrink(o.n_transfer, o.transfer, v.transfer_share, $household_prior_years),
       shrink(o.n_expense, o.expense, v.expense_share, $household_prior_years),
       greatest(o.n_wage, o.n_business, o.n_property, o.n_transfer, o.n_expense)
FROM own o
JOIN village_shrunk v USING (target_year, village_code, income_month);
