-- one row per article x claim x model
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert into stance (
    article_id, claim_no, claim, label, score, p_agree, p_disagree, p_discuss, p_unrelated,
    evidence_sentence_no, evidence, model_id
)
select
    article_id::varchar, claim_no::integer, claim::varchar, label::varchar, score::double, p_agree::double,
    p_disagree::double, p_discuss::double, p_unrelated::double, evidence_sentence_no::integer, evidence::varchar,
    model_id::varchar
from batch
