-- of a batch of loads' stories and articles, those already in the warehouse ('story' or 'article', id). A story
-- with neither a row nor one of its articles (an article's id carries its story's) was never loaded: every other
-- table's rows of a story or its articles are written with those rows and go with them
-- (loads/delete_stale_articles.sql, schema/014_orphans.sql), so its load has nothing to replace.
select 'story' as kind, story_id as id from stories where story_id in (select unnest($story_ids::varchar[]))
union all
select 'article' as kind, article_id as id from articles where article_id in (select unnest($article_ids::varchar[]))
