-- one row per story x point x summariser: the points of the story summary, most widely carried first, each with
-- its representative sentence and the outlets whose articles make that point (the align stage's same-point links)
create table if not exists summary_points (
    story_id     varchar not null,
    point_no     integer not null,
    text         varchar not null,
    article_id   varchar not null,
    sentence_no  integer not null,
    outlets      varchar[] not null,
    model_id     varchar not null,
    primary key (story_id, point_no, model_id)
);
