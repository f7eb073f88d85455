-- the wire dateline the cleaner moved out of each article's body, as printed ("KABUL, Afghanistan (AP) —",
-- "July 4 (UPI) --"); null when the article opens with none, or was loaded before it was recorded
alter table articles add column if not exists dateline varchar;
