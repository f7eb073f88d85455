-- the articles being (re)loaded, and their cleaning output
delete from cleaning_decisions where article_id in (select unnest($article_ids::varchar[]));
delete from attributions where article_id in (select unnest($article_ids::varchar[]));
delete from entities where article_id in (select unnest($article_ids::varchar[]));
delete from term_counts where article_id in (select unnest($article_ids::varchar[]));
delete from sentences where article_id in (select unnest($article_ids::varchar[]));
delete from articles where article_id in (select unnest($article_ids::varchar[]));
