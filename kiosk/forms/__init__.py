"""kiosk/forms."""
