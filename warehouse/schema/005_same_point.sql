-- the "same point" decision on each sentence link (one row per sentence x other article, as before): the
-- pairs model's verdict and p(same point) on the linked pair, and which pairs model decided; the story
-- records the pairs model of its latest load beside its other model ids.
-- same_point_score is null where the pair was never scored (its cosine under alignment's bound).
alter table sentence_links add column if not exists same_point boolean;
alter table sentence_links add column if not exists same_point_score double;
alter table sentence_links add column if not exists pairs_model_id varchar;
alter table stories add column if not exists pairs_model_id varchar;
