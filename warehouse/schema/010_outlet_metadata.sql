-- one row per outlet the user describes (`newsprism outlets FILE.csv`): what the user says of it, joined in SQL
-- by `outlet` (e.g. to outlet_coverage). newsprism ships no ratings: every value here comes from the user's file.
create table if not exists outlet_metadata (
    outlet     varchar primary key,
    domain     varchar,
    lean       varchar,
    country    varchar,
    ownership  varchar,
    source     varchar not null  -- the file the row was read from
);
