-- one row per article
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert into articles (
    article_id, story_id, outlet, outlet_evidence, wire, source, title, published_at, author, url, language,
    raw_hash, raw_text, clean_text, words_raw, words_clean, cleaner_id, encoding, dateline
)
select
    article_id::varchar, story_id::varchar, outlet::varchar, outlet_evidence::varchar, wire::varchar, source::varchar,
    title::varchar, published_at::varchar, author::varchar, url::varchar, language::varchar, raw_hash::varchar,
    raw_text::varchar, clean_text::varchar, words_raw::integer, words_clean::integer, cleaner_id::varchar,
    encoding::varchar, dateline::varchar
from batch
