insert or replace into runs
    (run_id, flow_run_id, profile, parameters, started_at, finished_at, timings, computed, cached, stories, articles)
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
