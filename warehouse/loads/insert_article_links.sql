-- one row per near-duplicate article of a story and the article it repeats
-- each named column is bound by name: $column, a list of values, unnested
insert into article_links (story_id, article_id, kept_article_id, relation, similarity)
select
    unnest($story_id::varchar[]), unnest($article_id::varchar[]), unnest($kept_article_id::varchar[]),
    unnest($relation::varchar[]), unnest($similarity::double[])
