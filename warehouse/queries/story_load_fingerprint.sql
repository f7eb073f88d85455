-- one row (or none) for one story: the fingerprint of its last load
select load_fingerprint from stories where story_id = ?
