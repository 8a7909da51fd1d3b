-- drops the copy of reports/hold_current_files: the name is the view's again.
DROP TABLE IF EXISTS temp.main.current_files;
