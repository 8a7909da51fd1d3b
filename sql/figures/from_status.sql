-- one row per county × period unit of registered frame mart_units (county_code, unit = period, unit_key): the
-- key figures of its households in household_status (zero households when it holds none), with the unit's key
INSERT INTO county_month_figures
SELECT u.county_code,
       u.unit,
       income_year_of(u.unit),
       income_month_of(u.unit),
       count(s.household_id),
       coalesce(sum(s.household_size), 0),
       count(*) FILTER (WHERE s.flags <> ''),
       count(*) FILTER (WHERE s.is_below_line),
       count(*) FILTER (WHERE s.is_near_line),
       count(*) FILTER (WHERE s.is_sudden_drop),
       count(*) FILTER (WHERE s.is_unstable_lifted),
       count(*) FILTER (WHERE s.has_guarantee_gap),
       max(s.line),
       u.unit_key
FROM mart_units u
LEFT JOIN household_status s ON s.county_code = u.county_code AND s.period = u.unit
GROUP BY u.county_code, u.unit, u.unit_key;
