-- removes the rows of calendar_shares of the units about to be recomputed or dropped (registered frame mart_units,
-- unit = a YYYYMM period)
DELETE FROM calendar_shares
WHERE (county_code, income_year, income_month) IN
      (SELECT county_code, income_year_of(unit), income_month_of(unit) FROM mart_units);
