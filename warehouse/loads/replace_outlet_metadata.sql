-- one row per outlet of the user's file: the file's rows replace those of the same outlets
-- each named column is bound by name: $column, a list of values, unnested
insert or replace into outlet_metadata (outlet, domain, lean, country, ownership, source)
select
    unnest($outlet::varchar[]),
    unnest($domain::varchar[]),
    unnest($lean::varchar[]),
    unnest($country::varchar[]),
    unnest($ownership::varchar[]),
    unnest($source::varchar[])
