-- Sharing: shares, the owner's consent log and the access log. Times are Unix milliseconds.
-- Users are referred to by id, never by name: a name is looked up when a log is read, so a
-- deleted account shows as deleted and no copy of its name is left behind.
CREATE TABLE shares (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- NULL while the invitation code is not yet used.
    recipient_id TEXT REFERENCES users (id) ON DELETE CASCADE,
    -- 'wheel' or 'section:<plan section record id>'.
    scope TEXT NOT NULL,
    -- The last day ('YYYY-MM-DD') and the moment it ends (UTC, exclusive); both NULL: no end.
    until_date TEXT,
    until_ms BIGINT,
    created_ms BIGINT NOT NULL,
    accepted_ms BIGINT,
    revoked_ms BIGINT,
    -- SHA-256 of the invitation code while it can be used; NULL once used or never made.
    code_hash TEXT UNIQUE,
    code_expires_ms BIGINT
);
CREATE INDEX shares_by_owner ON shares (owner_id);
CREATE INDEX shares_by_recipient ON shares (recipient_id);

-- Append-only: what the owner agreed to and when (created, accepted, revoked).
CREATE TABLE consent_log (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    event TEXT NOT NULL,
    share_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    recipient_id TEXT,
    until_date TEXT
);
CREATE INDEX consent_log_by_owner ON consent_log (owner_id, seq);

-- Append-only: every read of someone's data by another person (who, whose, what, when).
CREATE TABLE access_log (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id TEXT NOT NULL,
    reader_id TEXT NOT NULL,
    share_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    records BIGINT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX access_log_by_owner ON access_log (owner_id, seq);
