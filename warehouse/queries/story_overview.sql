-- one row per story: title, claims and the cross-outlet summary (and its points) under the story's current summariser
select
    s.story_id,
    s.title,
    (select list(claim order by claim_no) from claims as c where c.story_id = s.story_id) as claims,
    sm.summary,
    -- the summary's points, most widely carried first, each with the outlets that make it
    (
        select list({'point_no': p.point_no, 'text': p.text, 'outlets': p.outlets} order by p.point_no)
        from summary_points as p
        where p.story_id = s.story_id and p.model_id = s.summary_model_id
    ) as summary_points,
    s.summary_model_id,
    s.sentiment_model_id,
    s.stance_model_id
from stories as s
left join summaries as sm
    on sm.scope = 'story' and sm.subject_id = s.story_id and sm.model_id = s.summary_model_id
where list_contains(?::varchar[], s.story_id)
order by s.story_id
