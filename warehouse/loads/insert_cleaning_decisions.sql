-- one row per input line of an article
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert into cleaning_decisions (article_id, line_no, text, kept, reason)
select article_id::varchar, line_no::integer, text::varchar, kept::boolean, reason::varchar from batch
