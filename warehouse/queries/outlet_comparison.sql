-- one row per outlet of one story: the comparison table users see
select
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
from outlet_coverage
where story_id = ?
order by outlet
