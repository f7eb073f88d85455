-- `newsprism sql --allow-read-files`: local files may be read (read_csv, read_parquet, ...). Set before
-- session/lock_down; writing stays refused by the statement-type check in `newsprism sql` and the
-- read-only connection.
set allowed_directories = ['/'];
