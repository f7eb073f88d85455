-- rows derived from an article that is no longer in `articles`: before this file, a stale article's
-- attributions, entities and term counts were left behind when it was replaced (loads/delete_stale_articles.sql
-- now removes them). Removed here so that every article-keyed row has its article (loads skip the deletes of a
-- story never loaded before: queries/story_is_new.sql).
delete from attributions where article_id not in (select article_id from articles);
delete from entities where article_id not in (select article_id from articles);
delete from term_counts where article_id not in (select article_id from articles);
