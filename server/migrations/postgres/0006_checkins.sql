-- Check-ins with a trusted person (issue 11). A relationship is a share of scope 'checkins'
-- (made and accepted with the sharing invitation codes, in the consent log like every
-- share); these tables add what a check-in needs. Times are Unix milliseconds.

-- One row per check-in share, made with it.
CREATE TABLE checkin_relations (
    share_id TEXT PRIMARY KEY REFERENCES shares (id) ON DELETE CASCADE,
    -- The user's own name for the person ("Mamma").
    label TEXT NOT NULL,
    -- Paused by the user: no messages either way until resumed.
    paused_ms BIGINT,
    -- 1: read receipts on (both ways); 0: off.
    read_receipts BIGINT NOT NULL DEFAULT 1,
    -- The trusted person's own phone number, if they gave it (for sms:/tel: from the user).
    phone TEXT,
    -- The trusted person's own reminder: ISO weekday 1-7, or NULL.
    reminder BIGINT
);

-- Messages both ways. The id is made on the sender's phone: a retried send is the same row.
CREATE TABLE checkin_messages (
    share_id TEXT NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    -- 'text', 'phrase', 'answer' or 'help' (Kontakt meg).
    kind TEXT NOT NULL,
    body TEXT,
    scale BIGINT,
    phrase TEXT,
    sent_ms BIGINT NOT NULL,
    delivered_ms BIGINT,
    read_ms BIGINT,
    -- help: when the trusted person said "Jeg tar kontakt".
    ack_ms BIGINT,
    PRIMARY KEY (share_id, id)
);
CREATE INDEX checkin_messages_by_sender ON checkin_messages (share_id, sender_id, sent_ms);
CREATE INDEX checkin_messages_by_age ON checkin_messages (sent_ms);

-- Web Push subscriptions: where to wake a user's phone. Keys as the browser gave them.
CREATE TABLE push_subscriptions (
    endpoint TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id);
