-- one row: a run's timings and its model work computed vs from cache
select timings, computed, cached, articles from runs where run_id = ?
