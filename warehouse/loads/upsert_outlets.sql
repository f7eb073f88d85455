insert or replace into outlets select unnest(?::varchar[]), unnest(?::varchar[])
