-- one row per article x term (newsprism/terms.py)
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert into term_counts (article_id, term, n, count)
select article_id::varchar, term::varchar, n::integer, count::integer from batch
