-- Clerk console: login sessions (only a SHA-256 of the cookie token is stored), login failures
-- for throttling, and QR parts scanned per session (parts of a filing not yet complete, then the
-- complete scan kept for review until the session ends). Times are Unix seconds.
CREATE TABLE console_sessions (
    token_hash VARCHAR(64) PRIMARY KEY,
    username VARCHAR(64) NOT NULL,
    csrf_token VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX console_sessions_username ON console_sessions (username);

CREATE TABLE console_login_failures (
    username VARCHAR(64) NOT NULL,
    failed_at BIGINT NOT NULL
);

CREATE INDEX console_login_failures_username ON console_login_failures (username, failed_at);

CREATE TABLE console_scan_parts (
    token_hash VARCHAR(64) NOT NULL,
    part_sha256 VARCHAR(64) NOT NULL,
    part TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (token_hash, part_sha256)
);

CREATE TABLE console_scans (
    token_hash VARCHAR(64) NOT NULL,
    filing_id VARCHAR(64) NOT NULL,
    parts TEXT NOT NULL,
    scanned_at BIGINT NOT NULL,
    PRIMARY KEY (token_hash, filing_id)
);
