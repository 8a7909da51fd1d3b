-- one row per household drawn: the registered frame drawn_households with this draw's $draw_id
INSERT INTO sample_households (draw_id, county_code, township_code, village_code, household_id, data_period, flags,
                               village_signals, village_rank, village_weight, household_weight, is_whole_county,
                               reason)
SELECT $draw_id, county_code, township_code, village_code, household_id, data_period, flags, village_signals,
       village_rank, village_weight, household_weight, is_whole_county, reason
FROM drawn_households;
