-- a temporary stand-in, under the same name, for projection_backtest: backtest_as_then. With an empty stand-in for
-- projection_bands (backtest_then.create_stand_ins), marts/projection_bands then learns one county's band from its
-- earlier backtests as they stood then. Dropped by marts/unshadow_bands; the CREATE fails if a stand-in was left.
CREATE TEMP VIEW projection_backtest AS SELECT * FROM backtest_as_then;
