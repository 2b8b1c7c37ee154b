"""セルフ窓口 kiosk: the resident-facing filing terminal."""

__version__ = "0.1.0"
