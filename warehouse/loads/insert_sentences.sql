-- one row per sentence of an article's cleaned body
-- each named column is bound by name: $column, a list of values, unnested
insert into sentences (article_id, sentence_no, text)
select unnest($article_id::varchar[]), unnest($sentence_no::integer[]), unnest($text::varchar[])
