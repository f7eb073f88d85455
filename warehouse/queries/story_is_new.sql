-- whether a story was never loaded: no stories row and none of its articles (an article's id carries its
-- story's). Every other table's rows of a story or its articles are written with those rows and go with them
-- (loads/delete_stale_articles.sql, schema/014_orphans.sql), so a new story's load has nothing to replace.
select
    not exists (select 1 from stories where story_id = $story_id)
    and not exists (select 1 from articles where article_id in (select unnest($article_ids::varchar[])))
    as is_new
