-- one row per pair of near-identical sentences in two outlets' articles of a story (wire copy, shared
-- statements): is_copied in schema/002_coverage_macros.sql
create or replace view copied_sentences as
with

links as (
    select l.*
    from sentence_links as l
    join articles as a on a.article_id = l.article_id
    join stories as s on s.story_id = a.story_id and l.model_id = s.encoder_model_id
    where is_copied(l.similarity, l.word_overlap) and l.article_id < l.other_article_id
),

final as (
    select
        a.story_id,
        a.outlet,
        sa.text,
        o.outlet as other_outlet,
        so.text as other_text,
        round(l.similarity, 4) as similarity,
        round(l.word_overlap, 4) as word_overlap
    from links as l
    join articles as a on a.article_id = l.article_id
    join articles as o on o.article_id = l.other_article_id
    join sentences as sa on sa.article_id = l.article_id and sa.sentence_no = l.sentence_no
    join sentences as so on so.article_id = l.other_article_id and so.sentence_no = l.other_sentence_no
    where o.outlet <> a.outlet or a.outlet = 'unknown'
)

select * from final
