-- one row per sentence (under its story's latest encoder): how many other outlets' articles carry it
-- ("shared": the link's same-point decision, schema/005_same_point.sql; "copied": is_copied,
-- schema/002_coverage_macros.sql)
create or replace view sentence_coverage as
with

links as (
    select
        a.story_id,
        a.outlet,
        l.article_id,
        l.sentence_no,
        o.article_id as other_article_id,
        o.outlet as other_outlet,
        l.similarity,
        l.word_overlap,
        coalesce(l.same_point, false) as same_point
    from sentence_links as l
    join articles as a on a.article_id = l.article_id
    join articles as o on o.article_id = l.other_article_id
    join stories as s on s.story_id = a.story_id and l.model_id = s.encoder_model_id
    -- another outlet (two articles of `unknown` outlets count as two outlets)
    where o.outlet <> a.outlet or a.outlet = 'unknown'
),

per_sentence as (
    select
        story_id,
        outlet,
        article_id,
        sentence_no,
        count(distinct other_article_id) as other_articles,
        count(distinct other_article_id) filter (where same_point) as shared_with,
        count(distinct other_article_id) filter (where is_copied(similarity, word_overlap)) as copied_with,
        max(similarity) as best_similarity
    from links
    group by story_id, outlet, article_id, sentence_no
),

final as (
    select p.*, se.text
    from per_sentence as p
    join sentences as se using (article_id, sentence_no)
)

select * from final
