-- History compaction (issue 14, `server/src/history.rs`): a version that lost a merge to
-- another device's newer version when it was pushed is marked, and kept whatever its age.
-- Versions stored before this migration are unmarked (the server did not record it then).
ALTER TABLE record_versions ADD COLUMN conflict_loser BIGINT NOT NULL DEFAULT 0;
