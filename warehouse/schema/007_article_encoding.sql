-- the encoding each article's bytes were decoded from (newsprism.decode: a Python codec name, e.g. utf-8,
-- cp1252, utf-16-le); null for articles loaded before it was recorded
alter table articles add column if not exists encoding varchar;
