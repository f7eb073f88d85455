-- one row per story x outlet, for the stories in the bound list: the comparison table users see
select
    story_id,
    outlet,
    articles,
    words,
    sentiment_mean,
    share_negative,
    share_neutral,
    share_positive,
    stance_headline,
    stance,
    summary
from outlet_coverage_of(?::varchar[])
order by story_id, outlet
