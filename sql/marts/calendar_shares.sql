-- one row per household (or village, household_id '') × target income year × month of the income year, for
-- the county × target year units of registered frame mart_units (county_code, unit = income year): the share
-- of each income component's year amount reached by that month, by the household's own calendar learned from
-- its complete income years BEFORE the target year, shrunk toward its village's calendar, itself shrunk toward
-- the county's (the median of the same history, where seasonal_shares, made first, found enough of it):
-- share = (n × own + k × wider) / (n + k), n the years (or household-years) with that component,
-- k = $household_prior_years / $village_prior_years. The wage
-- shares of a history year whose Spring Festival month (registered frame festival_months) differs from the
-- target year's are moved by that month when that year's wages came as a lump in its festival month (at least
-- $festival_lump_min of the year's wage), so a lump that came in February then is expected in January now.
-- A village row serves households with no history of their own (new households). history_years: the household's
-- years of history at that month (the most of any component; 0 on village rows), which the band narrows with.
INSERT INTO calendar_shares
WITH targets AS (
    SELECT county_code, CAST(unit AS INTEGER) AS target_year FROM mart_units
), county_months AS (
    SELECT * FROM household_months WHERE county_code IN (SELECT county_code FROM targets)
), year_end AS (
    SELECT household_id, income_year, wage_income, business_income, property_income, transfer_income,
           business_expense
    FROM county_months WHERE income_month = 12
), ratios AS (       -- household × complete history year × month: share reached, each clamped to [0, 1]
    SELECT m.household_id, m.village_code, m.county_code, m.income_year AS history_year, m.income_month,
           least(greatest(m.wage_income / nullif(e.wage_income, 0), 0), 1)           AS wage,
           least(greatest(m.business_income / nullif(e.business_income, 0), 0), 1)   AS business,
           least(greatest(m.property_income / nullif(e.property_income, 0), 0), 1)   AS property,
           least(greatest(m.transfer_income / nullif(e.transfer_income, 0), 0), 1)   AS transfer,
           least(greatest(m.business_expense / nullif(e.business_expense, 0), 0), 1) AS expense
    FROM county_months m
    JOIN year_end e USING (household_id, income_year)
), neighbours AS (
    SELECT r.*, f.festival_month, lag(wage) OVER w AS wage_before, lead(wage) OVER w AS wage_after
    FROM ratios r
    LEFT JOIN festival_months f ON f.income_year = r.history_year
    WINDOW w AS (PARTITION BY household_id, history_year ORDER BY income_month)
), lumps AS (        -- whether the household's wages came as a festival lump that year
    SELECT *, coalesce(max(CASE WHEN income_month = festival_month THEN wage - coalesce(wage_before, 0) END)
                       OVER (PARTITION BY household_id, history_year) >= $festival_lump_min, false) AS has_lump
    FROM neighbours
), aligned AS (      -- per target year; the festival months are at most one month apart (January/February)
    SELECT t.target_year, n.household_id, n.village_code, n.county_code, n.history_year, n.income_month,
           CASE WHEN NOT n.has_lump THEN n.wage
                WHEN ft.festival_month < n.festival_month AND n.income_month >= ft.festival_month
                     AND n.income_month < n.festival_month THEN coalesce(n.wage_after, n.wage)
                WHEN ft.festival_month > n.festival_month AND n.income_month >= n.festival_month
                     AND n.income_month < ft.festival_month THEN coalesce(n.wage_before, 0)
                ELSE n.wage END AS wage,
           n.business, n.property, n.transfer, n.expense
    FROM targets t
    JOIN lumps n ON n.county_code = t.county_code AND n.history_year < t.target_year
    LEFT JOIN festival_months ft ON ft.income_year = t.target_year
), own AS (        -- means of exact decimals: the same figures on every run, whatever the order of the
                     -- rows (kept marts equal a rebuild)
    SELECT target_year, county_code, village_code, household_id, income_month,
           count(wage) AS n_wage,         avg(wage::DECIMAL(18, 12))::DOUBLE     AS wage,
           count(business) AS n_business, avg(business::DECIMAL(18, 12))::DOUBLE AS business,
           count(property) AS n_property, avg(property::DECIMAL(18, 12))::DOUBLE AS property,
           count(transfer) AS n_transfer, avg(transfer::DECIMAL(18, 12))::DOUBLE AS transfer,
           count(expense) AS n_expense,   avg(expense::DECIMAL(18, 12))::DOUBLE  AS expense
    FROM aligned GROUP BY ALL
), village AS (
    SELECT target_year, county_code, village_code, income_month,
           count(wage) AS n_wage,         avg(wage::DECIMAL(18, 12))::DOUBLE     AS wage,
           count(business) AS n_business, avg(business::DECIMAL(18, 12))::DOUBLE AS business,
           count(property) AS n_property, avg(property::DECIMAL(18, 12))::DOUBLE AS property,
           count(transfer) AS n_transfer, avg(transfer::DECIMAL(18, 12))::DOUBLE AS transfer,
           count(expense) AS n_expense,   avg(expense::DECIMAL(18, 12))::DOUBLE  AS expense
    FROM aligned GROUP BY ALL
), county AS (       -- the county's calendar: the median of its aligned history where seasonal_shares learned
                     -- one, else seasonal_shares (the settings' default)
    SELECT s.county_code, s.income_year AS target_year, s.income_month,
           CASE WHEN s.is_learned THEN coalesce(c.wage, s.wage_share) ELSE s.wage_share END             AS wage,
           CASE WHEN s.is_learned THEN coalesce(c.business, s.business_share) ELSE s.business_share END AS business,
           CASE WHEN s.is_learned THEN coalesce(c.property, s.property_share) ELSE s.property_share END AS property,
           CASE WHEN s.is_learned THEN coalesce(c.transfer, s.transfer_share) ELSE s.transfer_share END AS transfer,
           CASE WHEN s.is_learned THEN coalesce(c.expense, s.expense_share) ELSE s.expense_share END    AS expense
    FROM seasonal_shares s
    JOIN targets t ON t.county_code = s.county_code AND t.target_year = s.income_year
    LEFT JOIN (SELECT target_year, county_code, income_month, median(wage) AS wage, median(business) AS business,
                      median(property) AS property, median(transfer) AS transfer, median(expense) AS expense
               FROM aligned GROUP BY ALL) c
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
SELECT county_code, target_year AS income_year, income_month, village_code, '' AS household_id,
       wage_share, business_share, property_share, transfer_share, expense_share, 0 AS history_years
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
