-- one row per article that nearly duplicates an earlier article of its story (the same text but for a few
-- words: a re-scrape, a reprint): analysed, and linked to the article kept as the original (`kept_article_id`,
-- the first by source). `outlet_coverage` counts an outlet's near-duplicates of its own articles once.
create table if not exists article_links (
    story_id         varchar not null,
    article_id       varchar not null,
    kept_article_id  varchar not null,
    relation         varchar not null check (relation in ('near_duplicate')),
    similarity       double not null,
    primary key (article_id, kept_article_id)
);
