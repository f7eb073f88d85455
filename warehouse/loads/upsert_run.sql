-- one row per pipeline run (a rerun of the same run id replaces it)
insert or replace into runs
    (run_id, flow_run_id, profile, parameters, started_at, finished_at, timings, computed, cached, stories, articles)
values
    ($run_id, $flow_run_id, $profile, $parameters, $started_at, $finished_at, $timings, $computed, $cached, $stories,
     $articles)
