-- one row per pipeline run: written `running` at its start, replaced by its full record when it completes
insert or replace into runs
    (run_id, flow_run_id, profile, parameters, started_at, finished_at, timings, computed, cached, stories, articles,
     status, error, host, pid)
values
    ($run_id, $flow_run_id, $profile, $parameters, $started_at, $finished_at, $timings, $computed, $cached, $stories,
     $articles, $status, $error, $host, $pid)
