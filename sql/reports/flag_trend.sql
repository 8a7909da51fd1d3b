-- one row per county of $county_codes × month of the income year (1 = October … 12 = September): this income
-- year's households, flagged, below and near the line up to $period (NULLs after it), beside the share below the
-- line in the same month of the previous income year (NULL where the store holds no household of that month);
-- both from county_month_figures, as a run of each month shows them with the files on record now
WITH this AS (
    SELECT income_year_of($period) AS income_year
), months AS (
    SELECT c.county_code, m.income_month
    FROM (SELECT DISTINCT county_code FROM county_month_figures
          WHERE period = $period AND households_count > 0 AND list_contains($county_codes, county_code)) c,
         range(1, 13) m(income_month)
), figures AS (
    SELECT f.* FROM county_month_figures f, this
    WHERE list_contains($county_codes, f.county_code) AND f.households_count > 0
      AND f.income_year IN (this.income_year, this.income_year - 1) AND f.period <= $period
)
SELECT m.county_code,
       m.income_month,
       t.period,
       t.households_count,
       t.flagged_count,
       t.below_line_count,
       t.near_line_count,
       l.below_line_count / l.households_count       AS last_year_below_line_share
FROM months m
CROSS JOIN this
LEFT JOIN figures t
  ON t.county_code = m.county_code AND t.income_month = m.income_month AND t.income_year = this.income_year
LEFT JOIN figures l
  ON l.county_code = m.county_code AND l.income_month = m.income_month AND l.income_year = this.income_year - 1
ORDER BY m.county_code, m.income_month;
