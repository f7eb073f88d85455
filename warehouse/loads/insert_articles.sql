insert into articles
select
    unnest(?::varchar[]), unnest(?::varchar[]), unnest(?::varchar[]), unnest(?::varchar[]),
    unnest(?::varchar[]), unnest(?::varchar[]), unnest(?::varchar[]), unnest(?::varchar[]),
    unnest(?::varchar[]), unnest(?::varchar[]), unnest(?::varchar[]), unnest(?::varchar[]),
    unnest(?::varchar[]), unnest(?::varchar[]), unnest(?::integer[]), unnest(?::integer[]),
    unnest(?::varchar[])
