insert or ignore into schema_version (version, fingerprint) values (?, ?)
