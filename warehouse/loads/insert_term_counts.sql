-- one row per article x term (newsprism/terms.py)
-- each named column is bound by name: $column, a list of values, unnested
insert into term_counts (article_id, term, n, count)
select unnest($article_id::varchar[]), unnest($term::varchar[]), unnest($n::integer[]), unnest($count::integer[])
