-- one row per outlet (a reload replaces its evidence)
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert or replace into outlets (outlet, evidence)
select outlet::varchar, evidence::varchar from batch
