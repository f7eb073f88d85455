-- one row per outlet (a reload replaces its evidence)
-- each named column is bound by name: $column, a list of values, unnested
insert or replace into outlets (outlet, evidence)
select unnest($outlet::varchar[]), unnest($evidence::varchar[])
