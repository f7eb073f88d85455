-- newsprism warehouse, schema version 1. Applied on connect (idempotent: create ... if not exists).
-- Keys: articles are keyed on a hash of (story, raw content); model outputs on (article, model_id).

-- one row per story: its title and the model ids of its latest load (what `outlet_coverage` shows)
create table if not exists stories (
    story_id            varchar primary key,
    title               varchar,
    summary_model_id    varchar,
    sentiment_model_id  varchar,
    stance_model_id     varchar,
    encoder_model_id    varchar,
    updated_at          timestamp
);

-- one row per story x claim: the claims stance is measured toward (default: the story's headline)
create table if not exists claims (
    story_id  varchar not null,
    claim_no  integer not null,
    claim     varchar not null,
    primary key (story_id, claim_no)
);

-- one row per outlet: how it was identified
create table if not exists outlets (
    outlet    varchar primary key,
    evidence  varchar
);

-- one row per article (raw input kept, so a better cleaner needs no re-scrape)
create table if not exists articles (
    article_id       varchar primary key,
    story_id         varchar not null,
    outlet           varchar not null,
    outlet_evidence  varchar,
    wire             varchar,
    source           varchar not null,
    title            varchar,
    published_at     varchar,
    author           varchar,
    url              varchar,
    language         varchar,
    raw_hash         varchar not null,
    raw_text         varchar not null,
    clean_text       varchar not null,
    words_raw        integer not null,
    words_clean      integer not null,
    cleaner_id       varchar not null
);

-- one row per input line of an article: kept or removed, and why
create table if not exists cleaning_decisions (
    article_id  varchar not null,
    line_no     integer not null,
    text        varchar not null,
    kept        boolean not null,
    reason      varchar not null,
    primary key (article_id, line_no)  -- dropped by 016_sentence_tables_unkeyed.sql
);

-- one row per sentence of an article's cleaned body
create table if not exists sentences (
    article_id   varchar not null,
    sentence_no  integer not null,
    text         varchar not null,
    primary key (article_id, sentence_no)  -- dropped by 016_sentence_tables_unkeyed.sql
);

-- one row per (scope, subject, model): scope 'article' (subject = article_id) or 'story' (subject = story_id)
create table if not exists summaries (
    scope         varchar not null check (scope in ('article', 'story')),
    subject_id    varchar not null,
    story_id      varchar not null,
    article_id    varchar,
    summary       varchar not null,
    sentence_ids  integer[],
    model_id      varchar not null,
    primary key (scope, subject_id, model_id)
);

-- one row per article x level x (sentence | target) x model:
-- level 'sentence' (sentence_no set), 'article' (aggregate), 'target' (sentiment toward a named target)
create table if not exists sentiment (
    article_id   varchar not null,
    level        varchar not null check (level in ('sentence', 'article', 'target')),
    sentence_no  integer,
    target       varchar,
    label        varchar not null,
    score        double not null,
    p_negative   double,
    p_neutral    double,
    p_positive   double,
    mentions     integer,
    model_id     varchar not null
);

-- one row per article x claim x model
create table if not exists stance (
    article_id            varchar not null,
    claim_no              integer not null,
    claim                 varchar not null,
    label                 varchar not null,
    score                 double not null,
    p_agree               double,
    p_disagree            double,
    p_discuss             double,
    p_unrelated           double,
    evidence_sentence_no  integer,
    evidence              varchar,
    model_id              varchar not null,
    primary key (article_id, claim, model_id)
);

-- one row per sentence x other article of the same story x encoder: the sentence's closest match there
create table if not exists sentence_links (
    article_id         varchar not null,
    sentence_no        integer not null,
    other_article_id   varchar not null,
    other_sentence_no  integer not null,
    similarity         double not null,
    word_overlap       double not null,
    model_id           varchar not null,
    primary key (article_id, sentence_no, other_article_id, model_id)  -- dropped by 016_sentence_tables_unkeyed.sql
);

-- one row per pipeline run
create table if not exists runs (
    run_id        varchar primary key,
    flow_run_id   varchar,
    profile       varchar not null,
    parameters    json,
    started_at    timestamp,
    finished_at   timestamp,
    timings       json,
    computed      json,
    cached        json,
    stories       varchar[],
    articles      integer
);

-- one row per schema version x fingerprint of the schema and view files applied
create table if not exists schema_version (
    version      integer not null,
    fingerprint  varchar not null,
    applied_at   timestamp default current_timestamp,
    primary key (version, fingerprint)
);
