-- What the clerk console searches by, stored at intake time (issue 17 "Find"), and the 保留
-- (on hold) note. search_names: every member's name and フリガナ, kana-folded (hiragana =
-- katakana, NFKC full/half width, no spaces), '|'-separated; birth_dates: '|YYYY-MM-DD|…|';
-- receipt_no: the short 受付番号 (kiosk.forms.ids.receipt_number). NULL = not indexed yet
-- (rows stored before this migration are indexed by the console on first search).
ALTER TABLE filings ADD COLUMN search_names TEXT;

ALTER TABLE filings ADD COLUMN birth_dates TEXT;

ALTER TABLE filings ADD COLUMN receipt_no VARCHAR(16);

ALTER TABLE filings ADD COLUMN member_count INTEGER;

ALTER TABLE filings ADD COLUMN held_note TEXT;

ALTER TABLE filings ADD COLUMN held_by TEXT;

ALTER TABLE filings ADD COLUMN held_at TEXT;

CREATE INDEX filings_receipt_no ON filings (receipt_no);

-- Per-clerk display settings: English subtitles are off unless the clerk turns them on.
CREATE TABLE console_preferences (
    username     VARCHAR(64) PRIMARY KEY,
    show_english INTEGER NOT NULL DEFAULT 0
);
