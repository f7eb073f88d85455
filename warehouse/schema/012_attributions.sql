-- one row per sentence that attributes speech (newsprism/speakers.py): how (`kind`: direct quotation, reported
-- speech, "according to"), the cue word, the speaker as written and the named entity it resolves to (null for a
-- speaker that is not a named entity, e.g. "the ministry"), and the quoted words (the sentence, for reported speech)
create table if not exists attributions (
    article_id   varchar not null,
    sentence_no  integer not null,
    kind         varchar not null check (kind in ('direct', 'reported', 'according_to')),
    cue          varchar not null,
    speaker      varchar not null,
    entity       varchar,
    entity_type  varchar,
    quote        varchar not null,
    primary key (article_id, sentence_no)  -- dropped by 016_sentence_tables_unkeyed.sql
);
