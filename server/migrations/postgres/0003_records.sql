-- Synced records: every version a device pushed, append-only. A record's state is the merge
-- of its versions (the app's model decides it, on every device alike); the server only keeps
-- them, in order. `seq` is the owner's own monotonic sequence (see users.last_seq), the
-- cursor a device pulls from.
ALTER TABLE users ADD COLUMN last_seq BIGINT NOT NULL DEFAULT 0;

CREATE TABLE record_versions (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    record_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- The HLC's canonical text: with record_id, what makes a push idempotent.
    hlc TEXT NOT NULL,
    -- The whole version (hlc, deleted, schema, body) as JSON.
    version TEXT NOT NULL,
    device TEXT NOT NULL,
    received_ms BIGINT NOT NULL,
    PRIMARY KEY (user_id, seq),
    UNIQUE (user_id, record_id, hlc)
);
