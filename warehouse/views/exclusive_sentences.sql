-- one row per sentence that no other outlet's article carries (what only this outlet said)
create or replace view exclusive_sentences as
select story_id, outlet, article_id, sentence_no, text, round(best_similarity, 4) as best_similarity
from sentence_coverage
where shared_with = 0 and other_articles > 0
