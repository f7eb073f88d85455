-- one row per sentence of an article's cleaned body
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert into sentences (article_id, sentence_no, text)
select article_id::varchar, sentence_no::integer, text::varchar from batch
