-- removes the rows of the complete years' tables (calendar_sums, calendar_wage_shifts, seasonal_year_shares) of
-- the units about to be recomputed or dropped (registered frame mart_units); returns the calendar_sums rows deleted
DELETE FROM seasonal_year_shares WHERE (county_code, income_year::TEXT) IN (SELECT county_code, unit FROM mart_units);
DELETE FROM calendar_wage_shifts WHERE (county_code, through_year::TEXT) IN (SELECT county_code, unit FROM mart_units);
DELETE FROM calendar_sums WHERE (county_code, through_year::TEXT) IN (SELECT county_code, unit FROM mart_units);
