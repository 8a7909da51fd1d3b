-- one row per month of registered frame then_months (income_month) into backtest_bands_then for county
-- $county_code, year $income_year: the band projection_bands (the stand-in of marts/shadow_bands) learned for it,
-- NULL where none.
INSERT INTO backtest_bands_then
SELECT $county_code, $income_year, m.income_month, b.backtest_count, b.low_scaled_error, b.high_scaled_error,
       b.new_backtest_count, b.new_low_scaled_error, b.new_high_scaled_error
FROM then_months m
LEFT JOIN projection_bands b
  ON b.county_code = $county_code AND b.income_year = $income_year AND b.income_month = m.income_month;
