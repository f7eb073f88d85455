-- one row per run: a run still `running` closed as `failed` or `abandoned`, when and why
update runs set status = $status, error = $error, finished_at = $finished_at
where run_id = $run_id and status = 'running'
