-- removes the rows of projection_backtest (and backtest_bands_then and backtest_month_spreads, made with them) of the
-- units about to be recomputed or dropped (registered frame mart_units); the last statement counts the backtest rows
DELETE FROM backtest_month_spreads WHERE (county_code, income_year::TEXT) IN (SELECT county_code, unit FROM mart_units);
DELETE FROM backtest_bands_then WHERE (county_code, income_year::TEXT) IN (SELECT county_code, unit FROM mart_units);
DELETE FROM projection_backtest WHERE (county_code, income_year::TEXT) IN (SELECT county_code, unit FROM mart_units);
