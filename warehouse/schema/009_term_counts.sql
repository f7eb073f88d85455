-- one row per article x term: how often the article's sentences use a word or a 2-3 word phrase (lower case;
-- what counts as a term: newsprism/terms.py). The distinctive-wording views score them (views/distinctive_terms.sql).
-- (article_id, term) is unique but not a declared key: a load deletes an article's rows before it writes them
-- (loads/delete_articles.sql) and counts each term of an article once (warehouse/load.py, term_rows). The key's
-- index was ~18 % of a 10,000-article warehouse (1,011 MB; 831 MB without) and tripled the inserts' time
-- (0.77 against 0.24 s for 625,000 rows; schema/015_term_counts_unkeyed.sql).
create table if not exists term_counts (
    article_id  varchar not null,
    term        varchar not null,
    n           integer not null,  -- words in the term: 1, 2 or 3
    count       integer not null
);

-- The strength (alpha_0) of the informative Dirichlet prior of the log-odds scores (Monroe, Colaresi & Quinn
-- 2008): the prior's pseudo-counts are alpha_0 x each term's share of the whole warehouse's terms of its length.
create or replace macro term_prior_strength() as 500.0;

-- The log-odds ratio of a term between a group (y_i of n_i terms) and the rest (y_j of n_j), with prior
-- pseudo-count alpha for the term and alpha_0 in all; and its z-score (the ratio over its estimated standard
-- deviation sqrt(1 / (y_i + alpha) + 1 / (y_j + alpha))). A term that is the only one of its length in the
-- warehouse (alpha = alpha_0) is every term of that length in both groups: no difference, 0 (the formula's
-- 0 / 0 would give NaN).
create or replace macro log_odds_delta(y_i, n_i, y_j, n_j, alpha, alpha_0) as
    case when alpha >= alpha_0 then 0.0 else
        ln((y_i + alpha) / (n_i + alpha_0 - y_i - alpha)) - ln((y_j + alpha) / (n_j + alpha_0 - y_j - alpha))
    end;
create or replace macro log_odds_z(y_i, n_i, y_j, n_j, alpha, alpha_0) as
    log_odds_delta(y_i, n_i, y_j, n_j, alpha, alpha_0) / sqrt(1.0 / (y_i + alpha) + 1.0 / (y_j + alpha));
