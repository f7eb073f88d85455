-- one row per outlet x term it uses anywhere in the warehouse: how typical the term is of the outlet against
-- every other outlet's articles, over all stories (same log-odds ratio and z-score as distinctive_terms; prior
-- from the whole warehouse). Counts the outlet's articles of every story, so an outlet that covers more
-- stories about one subject uses that subject's words more: compare within a story (distinctive_terms) to
-- separate wording from story choice.
create or replace view distinctive_terms_corpus as
with

counts as (
    select a.outlet, t.term, t.n, sum(t.count) as uses
    from term_counts as t
    join articles as a using (article_id)
    group by a.outlet, t.term, t.n
),

terms as (
    select term, n, sum(uses) as all_uses, sum(uses) / sum(sum(uses)) over (partition by n) as share
    from counts
    group by term, n
),

outlet_totals as (
    select outlet, n, sum(uses) as outlet_terms
    from counts
    group by outlet, n
),

totals as (
    select n, sum(uses) as all_terms
    from counts
    group by n
),

scored as (
    select
        c.outlet,
        c.term,
        c.n,
        c.uses,
        t.all_uses - c.uses as others_uses,
        o.outlet_terms,
        a.all_terms - o.outlet_terms as others_terms,
        term_prior_strength() * t.share as alpha
    from counts as c
    join terms as t using (term, n)
    join outlet_totals as o using (outlet, n)
    join totals as a using (n)
),

final as (
    select
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

select * from final
