-- one row per near-duplicate article of a story and the article it repeats
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert into article_links (story_id, article_id, kept_article_id, relation, similarity)
select
    story_id::varchar, article_id::varchar, kept_article_id::varchar, relation::varchar, similarity::double
from batch
