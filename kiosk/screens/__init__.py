"""kiosk/screens."""
