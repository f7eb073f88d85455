-- one row per named-entity mention in a sentence (models/ner.py): its character span in the sentence, the text
-- as written, its type (PER, ORG, LOC; MISC: groups, events, nationalities) and the entity's canonical name within the story (aliases merged:
-- newsprism/entities.py), by the tagger `model_id`
create table if not exists entities (
    article_id   varchar not null,
    sentence_no  integer not null,
    start_char   integer not null,  -- [start_char, end_char) in the sentence
    end_char     integer not null,
    text         varchar not null,
    type         varchar not null check (type in ('PER', 'ORG', 'LOC', 'MISC')),
    canonical    varchar not null,
    model_id     varchar not null,
    primary key (article_id, sentence_no, start_char, model_id)  -- dropped by 016_sentence_tables_unkeyed.sql
);
