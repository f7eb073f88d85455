-- one row per schema version x fingerprint of the schema and view files applied
insert or ignore into schema_version (version, fingerprint) values ($version, $fingerprint)
