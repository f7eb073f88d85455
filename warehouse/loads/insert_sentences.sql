insert into sentences
select unnest(?::varchar[]), unnest(?::integer[]), unnest(?::varchar[])
