-- articles of this story read from the same source whose content changed: their old version goes,
-- with everything derived from it
create or replace temp table stale as
select article_id from articles
where story_id = $story_id
  and list_contains($sources::varchar[], source)
  and not list_contains($article_ids::varchar[], article_id);
delete from cleaning_decisions where article_id in (select article_id from stale);
delete from attributions where article_id in (select article_id from stale);
delete from entities where article_id in (select article_id from stale);
delete from term_counts where article_id in (select article_id from stale);
delete from sentences where article_id in (select article_id from stale);
delete from summaries where scope = 'article' and subject_id in (select article_id from stale);
delete from sentiment where article_id in (select article_id from stale);
delete from stance where article_id in (select article_id from stale);
delete from sentence_links
where article_id in (select article_id from stale) or other_article_id in (select article_id from stale);
delete from articles where article_id in (select article_id from stale);
drop table stale;
