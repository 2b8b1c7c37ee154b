"""SQLite schema of the installed address master (one ward per file)."""

from __future__ import annotations

SCHEMA_VERSION = 1
#: ``PRAGMA application_id`` marking a kiosk master file ("KMAS")
APPLICATION_ID = 0x4B4D4153

DDL = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE machiaza (
    machiaza_id  TEXT PRIMARY KEY,
    oaza_cho     TEXT NOT NULL,
    oaza_kana    TEXT NOT NULL,
    oaza_roma    TEXT NOT NULL,
    chome        TEXT NOT NULL,
    chome_number INTEGER,
    koaza        TEXT NOT NULL,
    name         TEXT NOT NULL,
    kana         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    residential  INTEGER NOT NULL,
    parcel       INTEGER NOT NULL,
    postal_code  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX machiaza_by_name_key ON machiaza (name_key);
CREATE INDEX machiaza_by_kana ON machiaza (kana);
CREATE INDEX machiaza_by_oaza ON machiaza (oaza_cho, chome_number);

CREATE TABLE block (
    machiaza_id TEXT NOT NULL REFERENCES machiaza (machiaza_id),
    blk_id      TEXT NOT NULL,
    blk_num     TEXT NOT NULL,
    PRIMARY KEY (machiaza_id, blk_id),
    UNIQUE (machiaza_id, blk_num)
) WITHOUT ROWID;

CREATE TABLE residence (
    machiaza_id TEXT NOT NULL,
    blk_id      TEXT NOT NULL,
    rsdt_id     TEXT NOT NULL,
    rsdt2_id    TEXT NOT NULL,
    number      TEXT NOT NULL,
    PRIMARY KEY (machiaza_id, blk_id, rsdt_id, rsdt2_id),
    FOREIGN KEY (machiaza_id, blk_id) REFERENCES block (machiaza_id, blk_id)
) WITHOUT ROWID;
CREATE INDEX residence_by_number ON residence (machiaza_id, blk_id, number);

CREATE TABLE parcel (
    machiaza_id TEXT NOT NULL REFERENCES machiaza (machiaza_id),
    prc_id      TEXT NOT NULL,
    chiban      TEXT NOT NULL,
    PRIMARY KEY (machiaza_id, prc_id)
) WITHOUT ROWID;
CREATE INDEX parcel_by_chiban ON parcel (machiaza_id, chiban);

CREATE TABLE katagaki (
    machiaza_id TEXT NOT NULL REFERENCES machiaza (machiaza_id),
    scheme      TEXT NOT NULL CHECK (scheme IN ('residential', 'parcel')),
    number      TEXT NOT NULL,
    name        TEXT NOT NULL,
    kana        TEXT NOT NULL,
    PRIMARY KEY (machiaza_id, scheme, number, name)
) WITHOUT ROWID;
"""

#: tables hashed (in this order, rows sorted by primary key) into the content checksum
CONTENT_TABLES: dict[str, str] = {
    "machiaza": "machiaza_id",
    "block": "machiaza_id, blk_id",
    "residence": "machiaza_id, blk_id, rsdt_id, rsdt2_id",
    "parcel": "machiaza_id, prc_id",
    "katagaki": "machiaza_id, scheme, number, name",
}
