insert or ignore into schema_version (version) values (?)
