"""server_sync."""
