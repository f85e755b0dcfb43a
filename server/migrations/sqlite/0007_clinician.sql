-- Clinicians (issue 12): accounts the server's administrator marked (`server admin clinician
-- add`), their second factor (TOTP), their own shorter sessions, and what each has seen of
-- each share ("Siden sist").

CREATE TABLE clinicians (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    organisation TEXT NOT NULL,
    added_ms BIGINT NOT NULL,
    -- The TOTP secret, encrypted under the server's secret (nonce:ciphertext, hex); NULL
    -- until enrolled. `totp_pending` holds the one being enrolled.
    totp_secret TEXT,
    totp_pending TEXT,
    -- The last time step a code was accepted for: a code is used once, and never one older.
    totp_last_step BIGINT NOT NULL DEFAULT 0
);

-- Recovery codes, each usable once, stored as an HMAC under the server's secret.
CREATE TABLE clinician_recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_ms BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- A clinician's sessions: separate from the app's (another cookie), shorter, and only
-- valid once the second factor is given (`verified_ms`).
CREATE TABLE clinician_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_ms BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL,
    verified_ms BIGINT
);
CREATE INDEX clinician_sessions_by_user ON clinician_sessions (user_id);

-- What a clinician last marked as seen of a share: the records as they were (JSON).
CREATE TABLE clinician_seen (
    clinician_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    share_id TEXT NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
    seen_ms BIGINT NOT NULL,
    snapshot TEXT NOT NULL,
    PRIMARY KEY (clinician_id, share_id)
);

-- The reader's organisation at the time of the read (clinicians only).
ALTER TABLE access_log ADD COLUMN reader_organisation TEXT;
