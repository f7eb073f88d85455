-- one row per outlet x point it leaves out: a sentence that at least two other outlets carry (in a
-- three-outlet story: both others) and none of this outlet's articles carries. "Carries" is the same-point
-- decision of the sentence links, in either direction (schema/005_same_point.sql). Articles
-- of an `unknown` outlet count as outlets of their own. A point told by several outlets is listed once, in
-- the words of the first article (by id) that tells it.
--
-- left_out_of(story_ids): the same rows for the stories in the list only (NULL: every story), reading only
-- their articles' links; the view is the macro over every story.
create or replace macro left_out_of(story_ids) as table
with

articles as (
    select *, case when outlet = 'unknown' then article_id else outlet end as outlet_key
    from main.articles
    where story_ids is null or list_contains(story_ids, story_id)
),

current_links as (
    select l.*
    from sentence_links as l
    join articles as a on a.article_id = l.article_id
    join stories as s on s.story_id = a.story_id and l.model_id = s.encoder_model_id
),

-- every (sentence, article that carries its point): the sentence's own article, and each article a
-- same-point link joins it to, whichever side the link starts from
carriers as (
    select article_id, sentence_no, article_id as carrier_id, 1.0 as similarity
    from sentences
    union all
    select article_id, sentence_no, other_article_id, similarity
    from current_links
    where same_point
    union all
    select other_article_id, other_sentence_no, article_id, similarity
    from current_links
    where same_point
),

points as (
    select
        c.article_id,
        c.sentence_no,
        min(c.carrier_id) as first_carrier,
        list(distinct ca.outlet_key) as carrier_keys,
        list(distinct ca.outlet order by ca.outlet) as reported_by_outlets
    from carriers as c
    join articles as ca on ca.article_id = c.carrier_id
    group by c.article_id, c.sentence_no
),

-- one row per point: the sentence of the first article that tells it, carried by two outlets or more
representatives as (
    select p.*, a.story_id, a.outlet as reported_by, se.text as point
    from points as p
    join articles as a on a.article_id = p.article_id
    join sentences as se on se.article_id = p.article_id and se.sentence_no = p.sentence_no
    where p.first_carrier = p.article_id and len(p.carrier_keys) >= 2
),

story_outlets as (
    select distinct story_id, outlet, outlet_key from articles
),

-- how close the omitting outlet's articles come to the point (links in either direction)
closest as (
    select r.article_id, r.sentence_no, o.outlet_key, max(l.similarity) as best_similarity
    from representatives as r
    join current_links as l
        on (l.article_id = r.article_id and l.sentence_no = r.sentence_no)
        or (l.other_article_id = r.article_id and l.other_sentence_no = r.sentence_no)
    join articles as o
        on o.article_id = case when l.article_id = r.article_id then l.other_article_id else l.article_id end
    group by r.article_id, r.sentence_no, o.outlet_key
),

final as (
    select
        r.story_id,
        so.outlet,
        r.reported_by,
        r.point,
        r.reported_by_outlets,
        len(r.carrier_keys) as outlets_reporting,
        round(c.best_similarity, 4) as best_similarity,
        r.article_id as point_article_id,
        r.sentence_no as point_sentence_no
    from representatives as r
    join story_outlets as so on so.story_id = r.story_id and not list_contains(r.carrier_keys, so.outlet_key)
    left join closest as c
        on c.article_id = r.article_id and c.sentence_no = r.sentence_no and c.outlet_key = so.outlet_key
)

select * from final;

create or replace view left_out as
select * from left_out_of(null);
