-- "Copied": two sentences of different outlets that are near-verbatim (wire copy, shared statements), by the
-- shared encoder's cosine similarity and the share of words they have in common. "Said the same thing" is
-- the trained same-point decision each sentence link carries (sentence_links.same_point, 005_same_point.sql).
drop macro if exists is_shared;
create or replace macro is_copied(similarity, overlap) as similarity >= 0.9 and overlap >= 0.5;
