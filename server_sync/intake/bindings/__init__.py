"""The My Number card as 印鑑登録証 (issue 13): certificate bindings, JPKI CRLs, lookups.

- :mod:`.certs`: reading a certificate (PEM, DER or base64) and checking it against the roots;
- :mod:`.store`: the ``seal_bindings`` table (add, end, look up; "expired" derived at lookup);
- :mod:`.crl`: importing a JPKI CRL (signature, freshness) and revoking bound serials at once;
- :mod:`.api`: ``POST /api/v1/seal-bindings/lookup`` for the ward's counter systems;
- :mod:`.cli`: ``bindings lookup|add|end`` and ``crl import``.
"""
