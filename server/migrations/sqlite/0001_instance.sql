-- One row that says this database belongs to a Tillit server and when it was set up.
-- /healthz reads it, so a healthy answer means the schema is migrated, not just that a file
-- opened. Accounts, records and sharing arrive in later migrations.
CREATE TABLE instance (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO instance (id) VALUES (1);
