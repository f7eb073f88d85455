-- one row per input line of an article
-- each named column is bound by name: $column, a list of values, unnested
insert into cleaning_decisions (article_id, line_no, text, kept, reason)
select
    unnest($article_id::varchar[]), unnest($line_no::integer[]), unnest($text::varchar[]),
    unnest($kept::boolean[]), unnest($reason::varchar[])
