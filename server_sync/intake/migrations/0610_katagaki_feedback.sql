-- 方書 flowing back (issue 13): a clerk's decision on a free-text 方書 typed at a kiosk. A
-- confirmed entry (name as corrected) goes into the ward's 方書 master at the next publish.
CREATE TABLE katagaki_feedback (
    machiaza_id  TEXT NOT NULL,             -- ABR 町字ID of the structured address
    scheme       TEXT NOT NULL,             -- residential | parcel (as the kiosk master)
    number       TEXT NOT NULL,             -- "街区/住居番号" or the 地番
    candidate    TEXT NOT NULL,             -- the building part of what residents typed
    decision     TEXT NOT NULL,             -- confirmed | dismissed
    name         TEXT NOT NULL,             -- the 方書 as confirmed (corrected) by the clerk
    kana         TEXT NOT NULL,             -- its reading (katakana or hiragana)
    address      TEXT NOT NULL,             -- the address as displayed (for the list)
    decided_at   TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    PRIMARY KEY (machiaza_id, scheme, number, candidate)
);
