-- The per-line and per-sentence tables without the primary keys 001, 011 and 012 declare: cleaning_decisions,
-- sentences, sentence_links, entities and attributions. Their keys are unique all the same: a load deletes an
-- article's rows before it writes them (loads/delete_articles.sql), a new story has none, and each row is built
-- once per article and key (warehouse/load.py). The keys guarded nothing, and DuckDB holds a key's index in
-- memory to insert into its table: inserting 128 articles' rows into a 20,000-article warehouse took 108 MB
-- with them (77 MB of it their indexes) and 24 MB without, and that share grew with the warehouse (docs/scaling.md).
-- DuckDB cannot drop a primary key, so each table is rebuilt from its own rows with every other constraint (its
-- columns' NOT NULLs and checks, in 001/005/011/012's order): each time the schema is applied (once per upgrade
-- of the schema's files; a new warehouse's tables are empty here), in one transaction: a failure leaves the
-- tables as they were. The five tables are defined here from now on (001/011/012 made the first version, 005
-- added sentence_links' last three columns): change them here, never with a later file's `alter table` (this
-- file runs first and would not know the column: its `insert ... by name` fails loudly rather than drop it); a
-- column added here is filled with NULL (or its default) for the rows already there at the next application.

begin transaction;

create or replace table cleaning_decisions__unkeyed (
    article_id  varchar not null,
    line_no     integer not null,
    text        varchar not null,
    kept        boolean not null,
    reason      varchar not null
);
insert into cleaning_decisions__unkeyed by name select * from cleaning_decisions;
drop table cleaning_decisions;
alter table cleaning_decisions__unkeyed rename to cleaning_decisions;

create or replace table sentences__unkeyed (
    article_id   varchar not null,
    sentence_no  integer not null,
    text         varchar not null
);
insert into sentences__unkeyed by name select * from sentences;
drop table sentences;
alter table sentences__unkeyed rename to sentences;

create or replace table sentence_links__unkeyed (
    article_id         varchar not null,
    sentence_no        integer not null,
    other_article_id   varchar not null,
    other_sentence_no  integer not null,
    similarity         double not null,
    word_overlap       double not null,
    model_id           varchar not null,
    same_point         boolean,
    same_point_score   double,
    pairs_model_id     varchar
);
insert into sentence_links__unkeyed by name select * from sentence_links;
drop table sentence_links;
alter table sentence_links__unkeyed rename to sentence_links;

create or replace table entities__unkeyed (
    article_id   varchar not null,
    sentence_no  integer not null,
    start_char   integer not null,  -- [start_char, end_char) in the sentence
    end_char     integer not null,
    text         varchar not null,
    type         varchar not null check (type in ('PER', 'ORG', 'LOC', 'MISC')),
    canonical    varchar not null,
    model_id     varchar not null
);
insert into entities__unkeyed by name select * from entities;
drop table entities;
alter table entities__unkeyed rename to entities;

create or replace table attributions__unkeyed (
    article_id   varchar not null,
    sentence_no  integer not null,
    kind         varchar not null check (kind in ('direct', 'reported', 'according_to')),
    cue          varchar not null,
    speaker      varchar not null,
    entity       varchar,
    entity_type  varchar,
    quote        varchar not null
);
insert into attributions__unkeyed by name select * from attributions;
drop table attributions;
alter table attributions__unkeyed rename to attributions;

commit;
