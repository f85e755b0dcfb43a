-- Accounts and sessions. Times are Unix milliseconds (BIGINT on both databases).
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    -- Trimmed and lowercased: one spelling per person.
    username TEXT NOT NULL UNIQUE,
    -- Argon2id in PHC string form (algorithm, parameters, salt and hash).
    passphrase_hash TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

CREATE TABLE sessions (
    -- SHA-256 of the random token; the token itself is only ever in the user's cookie.
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_ms BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Failed logins per account name and per address, in a sliding window. Kept in the
-- database, not in memory, so several server processes share one count.
CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    window_start_ms BIGINT NOT NULL,
    failures BIGINT NOT NULL
);
