-- mart_keys: one row per cached mart unit (artifact × county × period or income year): the key of the store's
-- data it was computed from (tasks/mart_keys.py). A unit whose key differs from the current one is recomputed;
-- artifact 'global' holds the settings and SQL the marts were built with (a change rebuilds them all).
CREATE TABLE IF NOT EXISTS mart_keys (
    artifact     TEXT NOT NULL,             -- 'months', 'shares', 'gaps', 'backtest', 'bands', 'accuracy', 'status', 'signals', 'global'
    county_code  TEXT NOT NULL,
    unit         TEXT NOT NULL,             -- YYYYMM period or income year, as text ('*' for the whole city)
    unit_key     TEXT NOT NULL
);
