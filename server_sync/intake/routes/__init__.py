"""HTTP routes of the kiosk-facing API (one module per resource)."""
