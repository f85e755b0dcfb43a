-- One row that says this database belongs to a Tillit server and when it was set up.
-- /healthz reads it, so a healthy answer means the schema is migrated, not just that a
-- connection opened. (The SQLite twin of this file is migrations/sqlite/0001_instance.sql.)
CREATE TABLE instance (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO instance (id) VALUES (1);
