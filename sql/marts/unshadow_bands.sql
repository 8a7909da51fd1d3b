-- drops the stand-ins of marts/shadow_bands: the names are the stored tables' again.
DROP VIEW IF EXISTS temp.main.projection_backtest;
DROP TABLE IF EXISTS temp.main.projection_bands;
