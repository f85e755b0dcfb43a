-- Hardening (issue 14).

-- Invitation codes are now 10 characters and `shares.code_hash` holds their HMAC under the
-- server's secret (`server.secret`), no longer a bare SHA-256: an invitation made before
-- this version cannot be used (it shows as pending until its week ends); make a new one.

-- A recipient can leave a share; after that the owner cannot share to them directly again
-- until they accept a new invitation.
ALTER TABLE shares ADD COLUMN left_ms BIGINT;

-- The access log names what was read (a JSON array of record ids) and keeps refused
-- attempts by a former recipient ('denied') next to the reads ('read').
ALTER TABLE access_log ADD COLUMN record_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE access_log ADD COLUMN outcome TEXT NOT NULL DEFAULT 'read';

-- The per-account storage quota counts the bytes of stored versions.
ALTER TABLE users ADD COLUMN stored_bytes BIGINT NOT NULL DEFAULT 0;
UPDATE users SET stored_bytes =
    (SELECT COALESCE(SUM(LENGTH(version)), 0) FROM record_versions r WHERE r.user_id = users.id);

-- The logs are append-only, enforced here and not only by the code: no UPDATE ever, and
-- DELETE only of the rows of an owner whose account row is already gone (the account's
-- deletion, in one transaction: `accounts::delete_user`).
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
WHEN EXISTS (SELECT 1 FROM users WHERE id = OLD.owner_id)
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
CREATE TRIGGER consent_log_no_update BEFORE UPDATE ON consent_log
BEGIN
    SELECT RAISE(ABORT, 'consent_log is append-only');
END;
CREATE TRIGGER consent_log_no_delete BEFORE DELETE ON consent_log
WHEN EXISTS (SELECT 1 FROM users WHERE id = OLD.owner_id)
BEGIN
    SELECT RAISE(ABORT, 'consent_log is append-only');
END;

-- For the purges of old sessions and throttle rows (they hold addresses).
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_ms);
CREATE INDEX login_failures_by_window ON login_failures (window_start_ms);

-- A push compares each change with the record's newest version only (by HLC: wall time,
-- then counter, then the HLC text, which then differs only in the device), not with every
-- version it ever had: the cost of a push no longer grows with the record's history.
ALTER TABLE record_versions ADD COLUMN wall_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE record_versions ADD COLUMN counter BIGINT NOT NULL DEFAULT 0;
UPDATE record_versions SET
    wall_ms = CAST(substr(hlc, 1, instr(hlc, '.') - 1) AS INTEGER),
    counter = CAST(substr(hlc, instr(hlc, '.') + 1, instr(hlc, '@') - instr(hlc, '.') - 1) AS INTEGER);
CREATE INDEX record_versions_newest ON record_versions (user_id, record_id, wall_ms, counter, hlc);
