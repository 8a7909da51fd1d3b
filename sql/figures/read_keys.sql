-- one row per county × period of county_month_figures: the key its figures were computed from
SELECT county_code, period, unit_key FROM county_month_figures;
