-- one row per quotation in a sentence (“…”, "…", ‘…’ or '…', three words or more), with its key (lower
-- case, punctuation dropped: the same words are the same quote) and the outlets of the story that quote it
--
-- quotes_of(story_ids): the same rows for the stories in the list only (NULL: every story); the view is the macro
-- over every story.
create or replace macro quotes_of(story_ids) as table
with

sentences as (
    select a.story_id, a.outlet, se.article_id, se.sentence_no, se.text
    from main.sentences as se
    join main.articles as a using (article_id)
    where story_ids is null or list_contains(story_ids, a.story_id)
),

extracted as (
    select
        story_id,
        outlet,
        article_id,
        sentence_no,
        unnest(list_concat(
            regexp_extract_all(text, '[“"]([^”"]+)[”"]', 1),
            regexp_extract_all(text, '(?:^|[\s(])[‘'']([^’'']{8,})[’''](?:[\s,.;:!?)]|$)', 1)
        )) as quote
    from sentences
),

normalised as (
    select
        *,
        trim(regexp_replace(lower(quote), '[^\w\s]+', '', 'g')) as quote_key
    from extracted
    where len(string_split(trim(quote), ' ')) >= 3
),

final as (
    select
        n.story_id,
        n.outlet,
        n.article_id,
        n.sentence_no,
        trim(n.quote) as quote,
        n.quote_key,
        (
            select list(distinct m.outlet order by m.outlet)
            from normalised as m
            where m.story_id = n.story_id and m.quote_key = n.quote_key
        ) as quoted_by
    from normalised as n
)

select * from final;

create or replace view quotes as
select * from quotes_of(null);
