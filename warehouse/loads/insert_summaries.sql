insert into summaries
select
    unnest(?::varchar[]), unnest(?::varchar[]), unnest(?::varchar[]), unnest(?::varchar[]),
    unnest(?::varchar[]), unnest(?::integer[][]), unnest(?::varchar[])
