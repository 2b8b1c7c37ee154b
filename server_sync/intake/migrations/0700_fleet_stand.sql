-- The stand's own state in the fleet view: image version and boot slot, reader and printer.
ALTER TABLE kiosks ADD COLUMN image_version TEXT;
ALTER TABLE kiosks ADD COLUMN boot_slot TEXT;
ALTER TABLE kiosks ADD COLUMN reader_state TEXT;
ALTER TABLE kiosks ADD COLUMN printer_state TEXT;
