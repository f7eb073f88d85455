-- one row per story x outlet: how that outlet covered the story, under the story's latest model ids
create or replace view outlet_coverage as
with

stories as (select * from stories),

articles as (select * from articles),

article_summaries as (
    select sm.subject_id as article_id, sm.summary
    from summaries as sm
    join articles as a on a.article_id = sm.subject_id
    join stories as s on s.story_id = a.story_id and sm.model_id = s.summary_model_id
    where sm.scope = 'article'
),

article_sentiment as (
    select se.article_id, se.score
    from sentiment as se
    join articles as a using (article_id)
    join stories as s on s.story_id = a.story_id and se.model_id = s.sentiment_model_id
    where se.level = 'article'
),

sentence_labels as (
    select a.story_id, a.outlet, se.label
    from sentiment as se
    join articles as a using (article_id)
    join stories as s on s.story_id = a.story_id and se.model_id = s.sentiment_model_id
    where se.level = 'sentence'
),

label_shares as (
    select
        story_id,
        outlet,
        avg(case when label = 'negative' then 1.0 else 0.0 end) as share_negative,
        avg(case when label = 'neutral' then 1.0 else 0.0 end) as share_neutral,
        avg(case when label = 'positive' then 1.0 else 0.0 end) as share_positive
    from sentence_labels
    group by story_id, outlet
),

claim_stance as (
    select
        a.story_id,
        a.outlet,
        st.claim_no,
        st.claim,
        -- the outlet's stance: the label of its most confident article
        arg_max(st.label, st.score) as label,
        avg(st.score) as score
    from stance as st
    join articles as a using (article_id)
    join stories as s on s.story_id = a.story_id and st.model_id = s.stance_model_id
    group by a.story_id, a.outlet, st.claim_no, st.claim
),

stance_lists as (
    select
        story_id,
        outlet,
        list({'claim': claim, 'label': label, 'score': round(score, 3)} order by claim_no) as stance,
        arg_min(label, claim_no) as stance_first_claim
    from claim_stance
    group by story_id, outlet
),

per_outlet as (
    select
        a.story_id,
        a.outlet,
        count(*) as articles,
        sum(a.words_clean) as words,
        string_agg(asum.summary, ' | ' order by a.article_id) as summary,
        avg(asen.score) as sentiment_mean
    from articles as a
    left join article_summaries as asum using (article_id)
    left join article_sentiment as asen using (article_id)
    group by a.story_id, a.outlet
),

final as (
    select
        p.story_id,
        p.outlet,
        p.articles,
        p.words,
        p.summary,
        round(p.sentiment_mean, 4) as sentiment_mean,
        round(ls.share_negative, 4) as share_negative,
        round(ls.share_neutral, 4) as share_neutral,
        round(ls.share_positive, 4) as share_positive,
        sl.stance_first_claim as stance_headline,
        sl.stance
    from per_outlet as p
    left join label_shares as ls using (story_id, outlet)
    left join stance_lists as sl using (story_id, outlet)
)

select * from final
