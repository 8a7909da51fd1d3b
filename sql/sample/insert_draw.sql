-- one new row in sample_draws (the draw's households follow in sample_households); returns its id
INSERT INTO sample_draws (draw_id, seed, drawn_at, period, county_filter, data_run_id, settings_json,
                          counties_count, villages_count, households_count)
SELECT coalesce(max(draw_id), 0) + 1, $seed, now()::TIMESTAMP, $period, $county_filter,
       (SELECT max(run_id) FROM runs WHERE status = 'completed'), $settings_json,
       $counties_count, $villages_count, $households_count
FROM sample_draws
RETURNING draw_id, drawn_at;
