-- one row per story x outlet, for the stories in the bound list: up to three widely reported points it
-- does not carry
with points as (
    select story_id, outlet, point, max(outlets_reporting) as outlets_reporting
    from left_out_of(?::varchar[])
    group by story_id, outlet, point
)
select story_id, outlet, list(point order by outlets_reporting desc, point)[1:3] as examples, count(*) as n
from points
group by story_id, outlet
order by story_id, outlet
