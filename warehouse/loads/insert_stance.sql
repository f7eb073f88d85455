-- one row per article x claim x model
-- each named column is bound by name: $column, a list of values, unnested
insert into stance (
    article_id, claim_no, claim, label, score, p_agree, p_disagree, p_discuss, p_unrelated,
    evidence_sentence_no, evidence, model_id
)
select
    unnest($article_id::varchar[]), unnest($claim_no::integer[]), unnest($claim::varchar[]),
    unnest($label::varchar[]), unnest($score::double[]), unnest($p_agree::double[]),
    unnest($p_disagree::double[]), unnest($p_discuss::double[]), unnest($p_unrelated::double[]),
    unnest($evidence_sentence_no::integer[]), unnest($evidence::varchar[]), unnest($model_id::varchar[])
