insert into sentence_links
select
    unnest(?::varchar[]), unnest(?::integer[]), unnest(?::varchar[]), unnest(?::integer[]),
    unnest(?::double[]), unnest(?::double[]), unnest(?::varchar[])
