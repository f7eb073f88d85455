-- When two sentences of different outlets say the same thing, by the shared encoder's cosine similarity.
-- Articles about one event are all close in topic (median cosine ~0.62 across the seed articles with
-- all-MiniLM-L6-v2), so "shared" needs 0.75: paraphrases of one fact or quote; "copied" is near-verbatim.
create or replace macro is_shared(similarity) as similarity >= 0.75;
create or replace macro is_copied(similarity, overlap) as similarity >= 0.9 and overlap >= 0.5;
