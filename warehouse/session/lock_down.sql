-- one setting per statement, in order: `newsprism sql` connections read the warehouse and nothing else.
-- No files, no network, no extensions (ATTACH, COPY ... TO, read_csv, INSTALL, LOAD all fail), and the
-- configuration is locked so a query cannot turn it back on.
set enable_external_access = false;
set lock_configuration = true;
