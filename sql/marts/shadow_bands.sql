-- temporary stand-ins, under the same names, for projection_backtest (backtest_as_then) and projection_bands
-- (empty): marts/projection_bands then learns one county's band from its earlier backtests as they stood then.
-- Dropped by marts/unshadow_bands; each CREATE fails if a stand-in was left.
CREATE TEMP VIEW projection_backtest AS SELECT * FROM backtest_as_then;
CREATE TEMP TABLE projection_bands AS SELECT * FROM projection_bands LIMIT 0;
