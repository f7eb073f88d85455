-- one row per outlet x widely reported point it does not carry: a sentence at least two other outlets'
-- articles share, to which this outlet's article has nothing close (is_shared, schema/002_coverage_macros.sql).
-- A point told by several outlets is listed once, in the words of the first article (by id) that tells it.
create or replace view left_out as
with

widely_reported as (
    select * from sentence_coverage where shared_with >= 2
),

current_links as (
    select l.*
    from sentence_links as l
    join articles as a on a.article_id = l.article_id
    join stories as s on s.story_id = a.story_id and l.model_id = s.encoder_model_id
),

representatives as (
    select w.*
    from widely_reported as w
    where not exists (
        select 1
        from current_links as l
        where l.article_id = w.article_id
          and l.sentence_no = w.sentence_no
          and l.other_article_id < w.article_id
          and is_shared(l.similarity)
    )
),

misses as (
    select
        r.story_id,
        o.outlet,
        o.article_id,
        r.outlet as reported_by,
        r.text as point,
        r.shared_with + 1 as articles_reporting,
        round(l.similarity, 4) as best_similarity
    from representatives as r
    join current_links as l on l.article_id = r.article_id and l.sentence_no = r.sentence_no
    join articles as o on o.article_id = l.other_article_id
    where not is_shared(l.similarity) and (o.outlet <> r.outlet or o.outlet = 'unknown')
)

select * from misses
