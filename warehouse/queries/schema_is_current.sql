-- one row if this schema version and fingerprint were applied
select 1 from schema_version where version = ? and fingerprint = ?
