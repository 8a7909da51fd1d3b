-- one row per month 1–11 of income year $income_year whose first-year band's year-over-year spread is measured at
-- another month (spread_month: a Spring Festival that moved, registered frame festival_months): the month and that
-- one (NULL: none). A correction of that month's returns changes the band of this one.
SELECT r.income_month, spread_month(r.income_month, f.festival_month, g.festival_month) AS measured_month
FROM (SELECT range::INTEGER AS income_month FROM range(1, 12)) r
LEFT JOIN festival_months f ON f.income_year = $income_year
LEFT JOIN festival_months g ON g.income_year = $income_year - 1
WHERE measured_month IS DISTINCT FROM r.income_month;
