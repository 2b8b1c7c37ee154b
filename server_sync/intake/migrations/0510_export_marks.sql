-- Export for the 住記 import: each accepted filing remembers when and by whom it was first
-- exported (RFC 3339 UTC text, "staff:<user>" or "cli:<user>"). A filing with exported_at set is
-- left out of the "not exported yet" export and can no longer be undone by the clerk (part A).
ALTER TABLE filings ADD COLUMN exported_at TEXT;

ALTER TABLE filings ADD COLUMN exported_by TEXT;

CREATE INDEX filings_exported ON filings (status, exported_at);
