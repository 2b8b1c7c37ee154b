"""Lookups as the API and the CLI answer them (a certificate, or issuer + serial)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cryptography import x509
from sqlalchemy import Connection, Engine

from .certs import CertId, facts_of, load_certificate
from .store import Lookup, LookupStatus, lookup_on


def lookup_certificate(
    conn: Connection, data: bytes, roots: Sequence[x509.Certificate], now: datetime
) -> Lookup:
    """The binding status of a presented certificate.

    A certificate no configured root signed answers ``unknown`` (a forged certificate copying a
    bound issuer and serial must never yield a 印鑑登録番号). Expiry is the binding's notAfter.
    """
    facts = facts_of(load_certificate(data), roots)
    if not facts.signed_by_root:
        return Lookup(LookupStatus.UNKNOWN, None)
    return lookup_on(conn, facts.cert_id, now)


def lookup_serial(conn: Connection, cert_id: CertId, now: datetime) -> Lookup:
    """The binding status of an issuer + serial (as read by a counter system from the card)."""
    return lookup_on(conn, cert_id, now)


def lookup_with(
    engine: Engine, data: bytes, roots: Sequence[x509.Certificate], now: datetime
) -> Lookup:
    """:func:`lookup_certificate` on its own connection."""
    with engine.connect() as conn:
        return lookup_certificate(conn, data, roots, now)
