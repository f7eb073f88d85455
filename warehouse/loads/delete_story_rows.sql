-- the stories' own rows replaced with every load of them: their claims and their article links
delete from claims where story_id in (select unnest($story_ids::varchar[]));
delete from article_links where story_id in (select unnest($story_ids::varchar[]));
