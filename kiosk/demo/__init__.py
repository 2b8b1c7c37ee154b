"""The demo: embedded defaults (simulated cards, a folder printer, optional local intake)."""
