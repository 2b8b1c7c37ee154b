"""Paper output of a filing: layout helpers, the 80 mm receipt, the A4 PDF and QR images."""
