-- one row per story x outlet x term used in the story (a word or a 2-3 word phrase, term_counts): how typical
-- the term is of the outlet's articles against the other outlets' articles of the same story — the log-odds
-- ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008; prior from the whole warehouse's
-- terms, schema/009_term_counts.sql) and its z-score. z > 1.96: the outlet uses it more than the others do;
-- z < -1.96: less. Terms are compared with terms of the same length (n).
--
-- distinctive_terms_of(story_ids): the same rows for the stories in the list only (NULL: every story). It counts
-- only those stories' terms, and the whole warehouse's counts only for the terms they use (the prior), so its
-- memory follows the stories asked for, not the warehouse: use it for a few stories of a large warehouse
-- (select * from distinctive_terms_of(['my-story'])); the view is the macro over every story.
create or replace macro distinctive_terms_of(story_ids) as table
with

counts as (
    select a.story_id, a.outlet, t.term, t.n, sum(t.count) as uses
    from term_counts as t
    join articles as a using (article_id)
    where story_ids is null or list_contains(story_ids, a.story_id)
    group by a.story_id, a.outlet, t.term, t.n
),

n_totals as (
    select t.n, sum(t.count) as all_uses
    from term_counts as t
    semi join articles as a using (article_id)
    group by t.n
),

background as (
    select t.term, t.n, sum(t.count) / any_value(nt.all_uses) as share
    from term_counts as t
    semi join articles as a using (article_id)
    semi join (select distinct term, n from counts) as used using (term, n)
    join n_totals as nt using (n)
    group by t.term, t.n
),

story_terms as (
    select story_id, term, n, sum(uses) as story_uses
    from counts
    group by story_id, term, n
),

outlet_totals as (
    select story_id, outlet, n, sum(uses) as outlet_terms
    from counts
    group by story_id, outlet, n
),

story_totals as (
    select story_id, n, sum(uses) as story_terms
    from counts
    group by story_id, n
),

grid as (
    select distinct o.story_id, o.outlet, st.term, st.n, st.story_uses
    from outlet_totals as o
    join story_terms as st on st.story_id = o.story_id and st.n = o.n
),

scored as (
    select
        g.story_id,
        g.outlet,
        g.term,
        g.n,
        coalesce(c.uses, 0) as uses,
        g.story_uses - coalesce(c.uses, 0) as others_uses,
        coalesce(o.outlet_terms, 0) as outlet_terms,
        s.story_terms - coalesce(o.outlet_terms, 0) as others_terms,
        term_prior_strength() * b.share as alpha
    from grid as g
    left join counts as c using (story_id, outlet, term, n)
    left join outlet_totals as o using (story_id, outlet, n)
    join story_totals as s using (story_id, n)
    join background as b using (term, n)
),

final as (
    select
        story_id,
        outlet,
        term,
        n,
        uses,
        others_uses,
        round(log_odds_delta(uses, outlet_terms, others_uses, others_terms, alpha, term_prior_strength()), 4)
            as log_odds,
        round(log_odds_z(uses, outlet_terms, others_uses, others_terms, alpha, term_prior_strength()), 4) as z
    from scored
)

select * from final;

create or replace view distinctive_terms as
select * from distinctive_terms_of(null);
