-- the fingerprint of everything a story's last load wrote (articles, model outputs, model ids): a load
-- with the same fingerprint would write the same rows again, so it is skipped
alter table stories add column if not exists load_fingerprint varchar;
