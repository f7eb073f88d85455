-- one row per run still marked `running`: where its process ran (host, pid)
select run_id, host, pid from runs where status = 'running' order by started_at, run_id
