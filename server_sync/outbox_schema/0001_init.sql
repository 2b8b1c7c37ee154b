-- The outbox: one row per filing envelope. id is the UUIDv7 idempotency key.
CREATE TABLE outbox (
    seq                 INTEGER PRIMARY KEY,
    id                  TEXT    NOT NULL UNIQUE,
    schema_version      INTEGER NOT NULL,
    created_at_ns       INTEGER NOT NULL,
    payload             BLOB,
    status              TEXT    NOT NULL CHECK (status IN ('ready', 'sending', 'done', 'dead')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ns  INTEGER NOT NULL,
    last_error          TEXT,
    CHECK (status IN ('done') OR payload IS NOT NULL)
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at_ns, seq);
