insert into stance
select
    unnest(?::varchar[]), unnest(?::integer[]), unnest(?::varchar[]), unnest(?::varchar[]),
    unnest(?::double[]), unnest(?::double[]), unnest(?::double[]), unnest(?::double[]),
    unnest(?::double[]), unnest(?::integer[]), unnest(?::varchar[]), unnest(?::varchar[])
