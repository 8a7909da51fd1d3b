-- one row: the latest completed run and the month it described (NULLs when none has completed)
SELECT max(run_id) AS run_id, arg_max(as_of_period, run_id) AS as_of_period FROM runs WHERE status = 'completed';
