-- per story of a list: the fingerprint of its last load (what a cached comparison is keyed on)
select story_id, load_fingerprint from stories where list_contains(?::varchar[], story_id) order by story_id
