-- The My Number card as 印鑑登録証 (issue 13): bindings of a card's 利用者証明用 certificate
-- (issuer + serial) to a resident's 印鑑登録番号, the imported JPKI CRLs and the serials they
-- revoke. Never the 個人番号. Times are RFC 3339 UTC text; serials lowercase hex (verify.py).
CREATE TABLE seal_bindings (
    binding_id   TEXT PRIMARY KEY,          -- UUIDv7
    resident_id  TEXT NOT NULL,             -- 宛名番号 (entered by the clerk)
    seal_number  TEXT NOT NULL,             -- 印鑑登録番号 (entered by the clerk)
    cert_issuer  TEXT NOT NULL,             -- RFC 4514 issuer name of the auth certificate
    cert_serial  TEXT NOT NULL,             -- lowercase hex, no leading zeros
    not_after    TEXT NOT NULL,             -- the certificate's notAfter
    status       TEXT NOT NULL,             -- active | revoked | ended ("expired" is derived)
    end_reason   TEXT,                      -- death | seal_abolished | move_out | replaced | crl
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,             -- "staff:<user>" or "cli:<user>"
    ended_at     TEXT,
    ended_by     TEXT,
    filing_id    TEXT,                      -- the seal_card_binding filing approved (console)
    kiosk_id     TEXT
);

CREATE INDEX seal_bindings_cert ON seal_bindings (cert_issuer, cert_serial, created_at);

CREATE INDEX seal_bindings_resident ON seal_bindings (resident_id, status);

-- at most one active binding per certificate
CREATE UNIQUE INDEX seal_bindings_one_active ON seal_bindings (cert_issuer, cert_serial)
    WHERE status = 'active';

-- the newest imported CRL per issuer (what a newer one must supersede)
CREATE TABLE jpki_crls (
    issuer       TEXT PRIMARY KEY,          -- RFC 4514
    crl_number   TEXT,                      -- decimal text of the CRLNumber extension
    this_update  TEXT NOT NULL,
    next_update  TEXT,
    sha256       TEXT NOT NULL,
    revoked      INTEGER NOT NULL,
    imported_at  TEXT NOT NULL,
    imported_by  TEXT NOT NULL
);

CREATE TABLE jpki_revoked (
    issuer      TEXT NOT NULL,
    serial      TEXT NOT NULL,              -- lowercase hex
    revoked_at  TEXT NOT NULL,
    PRIMARY KEY (issuer, serial)
);

-- what the card presented, beside resident_cert_serial (every filing that carries a certificate)
ALTER TABLE filings ADD COLUMN resident_cert_issuer TEXT;

ALTER TABLE filings ADD COLUMN resident_cert_not_after TEXT;
