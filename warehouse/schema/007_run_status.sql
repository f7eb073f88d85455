-- a run's life in `runs`: written `running` at its start, closed `completed` or `failed` (with `error`);
-- a run still `running` whose process (`host`, `pid`) is gone is marked `abandoned` by the next run
alter table runs add column if not exists status varchar;
alter table runs add column if not exists error varchar;
alter table runs add column if not exists host varchar;
alter table runs add column if not exists pid integer;
-- rows written before runs had a status were written at the end of a run that completed
update runs set status = 'completed' where status is null;
