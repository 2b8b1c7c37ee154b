-- The intake's core tables. Portable SQL: the same text runs on SQLite and PostgreSQL.
-- Times are RFC 3339 UTC text (fixed width, so text order is time order); booleans are 0/1.

CREATE TABLE kiosks (
    kiosk_id        TEXT PRIMARY KEY,
    public_key      TEXT NOT NULL,          -- base64 of the raw 32-byte Ed25519 key
    key_id          TEXT NOT NULL,
    enrolled_at     TEXT NOT NULL,
    revoked_at      TEXT,
    last_contact_at TEXT,
    backlog         INTEGER,
    dead            INTEGER,
    master_version  TEXT,
    app_version     TEXT
);

CREATE TABLE enrol_tokens (
    token_sha256 TEXT PRIMARY KEY,          -- only the hash of the token is stored
    kiosk_id     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    used_at      TEXT
);

CREATE TABLE filings (
    filing_id            TEXT PRIMARY KEY,  -- the idempotency key (UUIDv7)
    kiosk_id             TEXT,
    received_at          TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    envelope             TEXT,              -- the exact envelope as received (NULL for paper)
    filing_json          TEXT NOT NULL,
    filing_sha256        TEXT NOT NULL,
    kiosk_signature_ok   INTEGER NOT NULL,
    resident_binding     TEXT NOT NULL,     -- verified | absent | untrusted_chain
    resident_cert_serial TEXT,
    status               TEXT NOT NULL,     -- received (仮登録) | accepted (本登録) | rejected
    reject_reason        TEXT,
    decided_at           TEXT,
    decided_by           TEXT,
    source               TEXT NOT NULL      -- posted | paper
);

CREATE INDEX filings_received_at ON filings (received_at);
CREATE INDEX filings_status ON filings (status, received_at);
CREATE INDEX filings_kiosk ON filings (kiosk_id, received_at);

CREATE TABLE audit_log (
    audit_id     TEXT PRIMARY KEY,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,             -- "kiosk:<id>", "staff:<name>", "cli", "system"
    action       TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    detail       TEXT NOT NULL              -- JSON, never personal data
);

CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id, at);

CREATE TABLE master_versions (
    version      TEXT PRIMARY KEY,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    digest       TEXT NOT NULL              -- SHA-256 over the sorted (name, sha256) list
);

CREATE TABLE master_files (
    version TEXT NOT NULL,
    name    TEXT NOT NULL,
    sha256  TEXT NOT NULL,
    size    INTEGER NOT NULL,
    content BYTEA NOT NULL,
    PRIMARY KEY (version, name)
);

-- Staff accounts; the console owns login and sessions, the intake creates the first account.
CREATE TABLE staff (
    username      TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,            -- server_sync.intake.passwords format
    created_at    TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);
