-- Idempotency per kiosk: a filing is identified by (kiosk_id, filing_id), so an enrolled kiosk
-- that copies another kiosk's filing id from its printed QR cannot squat it. The table is rebuilt
-- (SQLite cannot change a primary key); rows keep every column.
CREATE TABLE filings_by_kiosk (
    filing_id            VARCHAR(64) NOT NULL,
    kiosk_id             VARCHAR(64) NOT NULL,
    received_at          TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    envelope             TEXT,
    filing_json          TEXT NOT NULL,
    filing_sha256        TEXT NOT NULL,
    kiosk_signature_ok   INTEGER NOT NULL,
    resident_binding     TEXT NOT NULL,
    resident_cert_serial TEXT,
    status               TEXT NOT NULL,
    reject_reason        TEXT,
    decided_at           TEXT,
    decided_by           TEXT,
    source               TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, filing_id)
);

INSERT INTO filings_by_kiosk (filing_id, kiosk_id, received_at, created_at, envelope,
    filing_json, filing_sha256, kiosk_signature_ok, resident_binding, resident_cert_serial,
    status, reject_reason, decided_at, decided_by, source)
    SELECT filing_id, COALESCE(kiosk_id, ''), received_at, created_at, envelope, filing_json,
        filing_sha256, kiosk_signature_ok, resident_binding, resident_cert_serial, status,
        reject_reason, decided_at, decided_by, source FROM filings;

DROP TABLE filings;

ALTER TABLE filings_by_kiosk RENAME TO filings;

CREATE INDEX filings_received_at ON filings (received_at);

CREATE INDEX filings_status ON filings (status, received_at);

CREATE INDEX filings_kiosk ON filings (kiosk_id, received_at);

CREATE INDEX filings_id ON filings (filing_id);
