-- one row per outlet of a story: up to three widely reported points it does not carry
with points as (
    select outlet, point, max(articles_reporting) as articles_reporting
    from left_out
    where story_id = ?
    group by outlet, point
)
select outlet, list(point order by articles_reporting desc, point)[1:3] as examples, count(*) as n
from points
group by outlet
order by outlet
