-- one row per table or view of the warehouse that `newsprism export` writes, with how it finds its story:
-- 'story_id' (a column of its own), 'article_id' (through articles), or null (written whole, not partitioned)
with

relations as (
    select table_name as name, table_type
    from information_schema.tables
    where table_schema = 'main' and table_catalog = current_database()
),

columns as (
    select table_name as name, list(column_name) as names
    from information_schema.columns
    where table_schema = 'main' and table_catalog = current_database()
    group by table_name
),

final as (
    select
        r.name,
        r.table_type = 'VIEW' as is_view,
        case
            when list_contains(c.names, 'story_id') then 'story_id'
            when list_contains(c.names, 'article_id') then 'article_id'
        end as story_key
    from relations as r
    join columns as c using (name)
)

select * from final order by is_view, name
