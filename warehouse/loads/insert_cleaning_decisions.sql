insert into cleaning_decisions
select unnest(?::varchar[]), unnest(?::integer[]), unnest(?::varchar[]), unnest(?::boolean[]), unnest(?::varchar[])
