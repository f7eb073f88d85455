-- every warehouse connection: DuckDB may hold at most this much memory and spills the rest of a large
-- aggregate, join or sort to a temporary file beside the warehouse (`<db>.tmp/`, removed when the connection
-- closes). Without it DuckDB takes up to 80 % of RAM: the report's distinctive-terms query alone held 3 GB over
-- a 10,000-article warehouse. With 512 MB the run's largest query over a 10,000-article warehouse (the
-- comparison's outlet rows, every story's) peaks at ~600 MB of the process instead of ~970 MB with 1 GB, in
-- ~5.0 s instead of ~4.1 s (docs/scaling.md). For a larger allowance in your own DuckDB session:
-- `set memory_limit = '8GB'`.
set memory_limit = '512MB';
-- and no progress bar of its own: a long query (the load's commit, the report's terms) printed one to stderr
-- in the middle of `newsprism run --quiet`; the run's stages have theirs (newsprism/progress.py)
set enable_progress_bar = false;
