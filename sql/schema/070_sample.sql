-- sample_draws: one row per city spot-check draw (`povmon sample`), with what it needs to be redrawn or
-- back-checked: the seed, the month the households' data describes, the county filter and the settings.
CREATE TABLE IF NOT EXISTS sample_draws (
    draw_id          INTEGER PRIMARY KEY,
    seed             BIGINT NOT NULL,
    drawn_at         TIMESTAMP NOT NULL,
    period           TEXT NOT NULL,          -- YYYYMM: the sample month (households' latest data up to it)
    county_filter    TEXT,                   -- the --county given, NULL for every county
    data_run_id      INTEGER,                -- the latest completed run whose data was drawn from
    settings_json    TEXT NOT NULL,          -- [spot_check] minimums and weights in force
    counties_count   INTEGER NOT NULL,
    villages_count   INTEGER NOT NULL,
    households_count INTEGER NOT NULL
);

-- sample_households: one row per household drawn in a draw, with its weights and why it was drawn.
CREATE TABLE IF NOT EXISTS sample_households (
    draw_id           INTEGER NOT NULL,
    county_code       TEXT NOT NULL,
    township_code     TEXT NOT NULL,
    village_code      TEXT NOT NULL,
    household_id      TEXT NOT NULL,
    data_period       TEXT NOT NULL,         -- YYYYMM of the household's row the draw used
    flags             TEXT NOT NULL,         -- the household's flags then (codes joined by ';', '' none)
    village_signals   TEXT NOT NULL,         -- the village's signals then (codes joined by ';', '' none)
    village_rank      INTEGER NOT NULL,      -- the village's place in the county's weighted order (1 = first)
    village_weight    DOUBLE NOT NULL,
    household_weight  DOUBLE NOT NULL,
    is_whole_county   BOOLEAN NOT NULL,      -- the county had fewer households than its minimum: all drawn
    reason            TEXT NOT NULL,         -- why it was drawn (Chinese, for the check teams)
    PRIMARY KEY (draw_id, household_id)
);
