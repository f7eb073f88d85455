update stories set load_fingerprint = ? where story_id = ?
