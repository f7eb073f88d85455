-- one row per story x outlet: how that outlet covered the story, under the story's latest model ids:
-- size, summary, tone, stance per claim, and what it shares, copies, says alone, leaves out and quotes
--
-- outlet_coverage_of(story_ids): the same rows for the stories in the list only (NULL: every story), reading
-- only their rows; the view is the macro over every story.
create or replace macro outlet_coverage_of(story_ids) as table
with

stories as (
    select *
    from main.stories
    where not coalesce(single_outlet, false)  -- one-outlet stories: nothing to compare
        and (story_ids is null or list_contains(story_ids, story_id))
),

own_near_duplicates as (
    -- an article that nearly repeats another of the same outlet (article_links) counts once: as the kept one
    select l.article_id
    from article_links as l
    join main.articles as a on a.article_id = l.article_id
    join main.articles as k on k.article_id = l.kept_article_id
    where a.outlet = k.outlet
),

articles as (
    select *
    from main.articles
    where article_id not in (select article_id from own_near_duplicates)
        and (story_ids is null or list_contains(story_ids, story_id))
),

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

coverage_counts as (
    select
        story_id,
        outlet,
        count(*) as sentences,
        count(*) filter (where shared_with = 0 and other_articles > 0) as exclusive_sentences,
        count(*) filter (where copied_with > 0) as copied_sentences
    from sentence_coverage
    where article_id not in (select article_id from own_near_duplicates)
        and (story_ids is null or list_contains(story_ids, story_id))
    group by story_id, outlet
),

quote_counts as (
    select story_id, outlet, count(*) as quotes from quotes_of(story_ids) group by story_id, outlet
),

left_out_counts as (
    -- distinct widely reported points an outlet does not carry (each point counted once per reporter)
    select story_id, outlet, count(distinct point) as left_out from left_out_of(story_ids) group by story_id, outlet
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
        sl.stance,
        coalesce(cc.sentences, 0) as sentences,
        coalesce(cc.exclusive_sentences, 0) as exclusive_sentences,
        coalesce(cc.copied_sentences, 0) as copied_sentences,
        coalesce(lo.left_out, 0) as left_out,
        coalesce(qc.quotes, 0) as quotes
    from per_outlet as p
    left join label_shares as ls using (story_id, outlet)
    left join stance_lists as sl using (story_id, outlet)
    left join coverage_counts as cc using (story_id, outlet)
    left join left_out_counts as lo using (story_id, outlet)
    left join quote_counts as qc using (story_id, outlet)
    where p.story_id in (select story_id from stories)  -- one-outlet stories skipped
)

select * from final;

create or replace view outlet_coverage as
select * from outlet_coverage_of(null);
