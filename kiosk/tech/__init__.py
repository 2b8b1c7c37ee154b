"""The technician tool: ``python -m kiosk.tech flash|diagnose|firstboot``."""
