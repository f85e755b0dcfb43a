-- The trusted person's reminder by Web Push (issue 11, `server/src/checkins/reminders.rs`):
-- the day in Norway (days since 1970-01-01) the last reminder went, so it goes once a day.
ALTER TABLE checkin_relations ADD COLUMN reminded_day BIGINT;
