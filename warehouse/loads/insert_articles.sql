-- one row per article
-- each named column is bound by name: $column, a list of values, unnested
insert into articles (
    article_id, story_id, outlet, outlet_evidence, wire, source, title, published_at, author, url, language,
    raw_hash, raw_text, clean_text, words_raw, words_clean, cleaner_id, encoding, dateline
)
select
    unnest($article_id::varchar[]), unnest($story_id::varchar[]), unnest($outlet::varchar[]),
    unnest($outlet_evidence::varchar[]), unnest($wire::varchar[]), unnest($source::varchar[]),
    unnest($title::varchar[]), unnest($published_at::varchar[]), unnest($author::varchar[]),
    unnest($url::varchar[]), unnest($language::varchar[]), unnest($raw_hash::varchar[]),
    unnest($raw_text::varchar[]), unnest($clean_text::varchar[]), unnest($words_raw::integer[]),
    unnest($words_clean::integer[]), unnest($cleaner_id::varchar[]), unnest($encoding::varchar[]),
    unnest($dateline::varchar[])
