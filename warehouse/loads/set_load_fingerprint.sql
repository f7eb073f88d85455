update stories set load_fingerprint = $load_fingerprint where story_id = $story_id
