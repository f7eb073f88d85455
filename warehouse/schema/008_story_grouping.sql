-- stories formed by grouping (newsprism/grouping.py): how each story was formed and how big it is;
-- `single_outlet` stories are kept but the comparison views skip them
alter table stories add column if not exists size integer;
alter table stories add column if not exists formed_by varchar;
alter table stories add column if not exists grouping_model_id varchar;
alter table stories add column if not exists grouping_threshold double;
alter table stories add column if not exists single_outlet boolean;

-- one row per grouped article (content hash): its story, and what the grouping compares a new article with
create table if not exists story_members (
    raw_hash           varchar primary key,
    story_id           varchar not null,
    article_id         varchar not null,
    published_day      integer,
    title              varchar,
    lead_vector        float[],
    body_vector        float[],
    names              varchar[],
    encoder_model_id   varchar not null
);

-- one row per merge or split a regroup made (in run `run_id`): `from_story_id`'s articles went to `story_id`
create table if not exists story_events (
    run_id         varchar not null,
    story_id       varchar not null,
    kind           varchar not null,
    from_story_id  varchar not null,
    articles       integer not null
);
