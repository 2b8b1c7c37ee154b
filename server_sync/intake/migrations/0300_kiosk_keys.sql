-- Kiosk key history: a re-enrolled kiosk's older filings (paper in a drawer, envelopes still in
-- its outbox) verify against the key that was valid when they were signed. retired_at is set
-- when a re-enrolment replaces the key (NULL: the current key).
CREATE TABLE kiosk_keys (
    kiosk_id    VARCHAR(64) NOT NULL,
    key_id      VARCHAR(16) NOT NULL,
    public_key  TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    retired_at  TEXT,
    PRIMARY KEY (kiosk_id, key_id)
);

INSERT INTO kiosk_keys (kiosk_id, key_id, public_key, enrolled_at)
    SELECT kiosk_id, key_id, public_key, enrolled_at FROM kiosks;
