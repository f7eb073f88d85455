-- the story's article links, replaced with every load of the story
delete from article_links where story_id = $story_id
