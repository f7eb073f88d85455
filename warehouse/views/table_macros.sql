-- Table macros for the common questions (use them like tables: select * from coverage_matrix('my-story')).

-- coverage_matrix(story): one row per sentence of the story x outlet of the story: whether that outlet's
-- articles carry the sentence's point (its own outlet always does; others by the same-point decision of the
-- sentence links, in either direction, under the story's latest encoder). The sentence x outlet coverage
-- matrix, long form: pivot on `outlet` for the grid (newsprism report draws it as a heatmap).
create or replace macro coverage_matrix(story) as table
with

story_articles as (
    select article_id, outlet from articles where story_id = story
),

current_links as (
    select l.article_id, l.sentence_no, l.other_article_id, l.other_sentence_no, coalesce(l.same_point, false) as same_point
    from sentence_links as l
    join story_articles as a using (article_id)
    join stories as s on s.story_id = story and l.model_id = s.encoder_model_id
),

carried as (
    select article_id, sentence_no, other_article_id as carrier_id from current_links where same_point
    union all
    select other_article_id, other_sentence_no, article_id from current_links where same_point
),

cells as (
    select c.article_id, c.sentence_no, a.outlet, true as carries
    from carried as c
    join story_articles as a on a.article_id = c.carrier_id
    group by c.article_id, c.sentence_no, a.outlet
),

final as (
    select
        a.outlet as source_outlet,
        se.article_id,
        se.sentence_no,
        se.text,
        o.outlet,
        o.outlet = a.outlet or coalesce(c.carries, false) as carries
    from sentences as se
    join story_articles as a using (article_id)
    cross join (select distinct outlet from story_articles) as o
    left join cells as c on c.article_id = se.article_id and c.sentence_no = se.sentence_no and c.outlet = o.outlet
)

select * from final order by source_outlet, article_id, sentence_no, outlet;

-- omissions(outlet_name): every point that outlet leaves out, in every story (the left_out view's rows for it).
create or replace macro omissions(outlet_name) as table
select * from left_out where outlet = outlet_name order by story_id, outlets_reporting desc, point;
