"""One part per procedure family; each owns its steps after the card, its draft and its Filing."""
