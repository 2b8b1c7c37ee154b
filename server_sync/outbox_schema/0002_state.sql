-- Timestamps of state changes (for pruning) and a small key/value table for the sender's status.
ALTER TABLE outbox ADD COLUMN updated_at_ns INTEGER NOT NULL DEFAULT 0;
CREATE TABLE sync_state (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
