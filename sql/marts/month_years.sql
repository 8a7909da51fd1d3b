-- one row per county × income year with household rows in household_months (the units of the year marts)
SELECT DISTINCT county_code, income_year FROM household_months;
