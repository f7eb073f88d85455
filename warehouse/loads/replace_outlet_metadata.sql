-- one row per outlet of the user's file: the file's rows replace those of the same outlets
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert or replace into outlet_metadata (outlet, domain, lean, country, ownership, source)
select outlet::varchar, domain::varchar, lean::varchar, country::varchar, ownership::varchar, source::varchar from batch
