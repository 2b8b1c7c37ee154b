"""The My Number card stack: transport port, APDU/TLV helpers, card sessions, simulator."""
