-- the articles being (re)loaded, and their cleaning output
delete from cleaning_decisions where list_contains($article_ids::varchar[], article_id);
delete from attributions where list_contains($article_ids::varchar[], article_id);
delete from entities where list_contains($article_ids::varchar[], article_id);
delete from term_counts where list_contains($article_ids::varchar[], article_id);
delete from sentences where list_contains($article_ids::varchar[], article_id);
delete from articles where list_contains($article_ids::varchar[], article_id);
