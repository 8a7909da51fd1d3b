-- county_month_figures: one row per county × period with any file on record that a run needed for its pages
-- (the months of its income year up to its as-of month, and every month of the previous income year): the key
-- figures of the county's monitored households as a run of that month shows them with the files on record now
-- (tasks/report/history.py). Kept across income years and mart rebuilds; unit_key is what the row was computed
-- from (the marts' settings and SQL, the files of the month and of the earlier years), so a correction or a
-- change of settings recomputes it and a store rebuilt from the same files holds the same rows.
CREATE TABLE IF NOT EXISTS county_month_figures (
    county_code           TEXT NOT NULL,
    period                TEXT NOT NULL,        -- YYYYMM
    income_year           INTEGER NOT NULL,
    income_month          INTEGER NOT NULL,     -- 1 = October … 12 = September
    households_count      BIGINT NOT NULL,      -- 0: files on record, none with a usable household row
    people_count          BIGINT,
    flagged_count         BIGINT,
    below_line_count      BIGINT,
    near_line_count       BIGINT,
    sudden_drop_count     BIGINT,
    unstable_lifted_count BIGINT,
    guarantee_gap_count   BIGINT,
    line                  DOUBLE,               -- the line of the income year
    unit_key              TEXT NOT NULL,
    PRIMARY KEY (county_code, period)
);
