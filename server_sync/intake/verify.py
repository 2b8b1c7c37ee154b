"""Server-side checks of a posted filing beyond the envelope: JPKI roots, resident binding, parsing.

The envelope checks themselves are :mod:`server_sync.envelope` (shared with the kiosk).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.hashes import SHA256

from kiosk.forms.model import Filing
from server_sync.envelope import Envelope
from server_sync.errors import BadResidentSignatureError
from server_sync.intake.clock import stamp
from server_sync.intake.errors import BadFilingError, UntrustedResidentChainError
from server_sync.intake.records import ResidentBindingState
from server_sync.intake.sanity import checked_filing

log = logging.getLogger(__name__)

PEM_SUFFIXES = (".pem", ".crt")
#: resident certificates (and their chain verdicts) kept parsed; one card files many times
CERT_CACHE_SIZE = 4096
#: the card signature's padding and hash (stateless; made once, not per filing)
_PKCS1V15 = padding.PKCS1v15()
_SHA256 = SHA256()


def load_roots(folder: Path) -> list[x509.Certificate]:
    """Every certificate in the PEM files of ``folder`` (missing folder → no roots)."""
    roots: list[x509.Certificate] = []
    if not folder.is_dir():
        return roots
    for path in sorted(folder.iterdir()):
        if path.suffix not in PEM_SUFFIXES or not path.is_file():
            continue
        try:
            roots.extend(x509.load_pem_x509_certificates(path.read_bytes()))
        except ValueError:
            log.warning("ignoring unreadable trust anchor file %s", path.name)
    return roots


@dataclass(frozen=True, slots=True)
class ResidentCheck:
    """Outcome of the resident-binding check for a stored filing."""

    state: ResidentBindingState
    certificate_serial: str | None
    #: issuer (RFC 4514) and notAfter (RFC 3339 UTC) of the presented certificate (issue 13)
    certificate_issuer: str | None = None
    certificate_not_after: str | None = None


@lru_cache(maxsize=CERT_CACHE_SIZE)
def _resident_key(der: bytes) -> tuple[x509.Certificate, rsa.RSAPublicKey]:
    """The parsed certificate and its RSA key (a pure function of the DER bytes, so cached)."""
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError as err:
        raise BadResidentSignatureError("resident certificate is not valid DER") from err
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise BadResidentSignatureError("resident certificate does not hold an RSA key")
    return cert, key


@lru_cache(maxsize=CERT_CACHE_SIZE)
def issued_by(cert: x509.Certificate, root: x509.Certificate) -> bool:
    """Whether ``root`` signed ``cert`` (pure, so cached per pair; validity times are not)."""
    if root.subject != cert.issuer:
        return False
    try:
        cert.verify_directly_issued_by(root)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def chain_trusted(cert: x509.Certificate, roots: Sequence[x509.Certificate], now: datetime) -> bool:
    """Like ``envelope.resident_chain_trusted``, with the signature check of each pair cached."""
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        return False
    return any(
        root.not_valid_before_utc <= now <= root.not_valid_after_utc and issued_by(cert, root)
        for root in roots
    )


def check_resident(
    envelope: Envelope,
    roots: Sequence[x509.Certificate],
    now: datetime,
    *,
    reject_untrusted: bool,
) -> ResidentCheck:
    """Verify the card signature over the filing (422 if wrong), then classify the chain."""
    if envelope.resident is None:
        return ResidentCheck(ResidentBindingState.ABSENT, None)
    cert, key = _resident_key(envelope.resident.certificate)
    try:
        key.verify(envelope.resident.signature, envelope.filing, _PKCS1V15, _SHA256)
    except InvalidSignature as err:
        raise BadResidentSignatureError("resident signature does not verify") from err
    serial, issuer, not_after = _serial_issuer_and_expiry(cert)
    if chain_trusted(cert, roots, now):
        return ResidentCheck(ResidentBindingState.VERIFIED, serial, issuer, not_after)
    if reject_untrusted:
        raise UntrustedResidentChainError(
            "resident certificate does not chain to a configured JPKI root"
        )
    return ResidentCheck(ResidentBindingState.UNTRUSTED_CHAIN, serial, issuer, not_after)


@lru_cache(maxsize=CERT_CACHE_SIZE)
def _serial_issuer_and_expiry(cert: x509.Certificate) -> tuple[str, str, str]:
    """(serial in hex, RFC 4514 issuer, notAfter as RFC 3339 UTC text) of a certificate (pure,
    so cached: one card files many times)."""
    return (
        format(cert.serial_number, "x"),
        cert.issuer.rfc4514_string(),
        stamp(cert.not_valid_after_utc),
    )


def parse_filing(filing_bytes: bytes, filing_id: str, now: datetime) -> Filing:
    """Parse, range-check and validate the filing (422 if it is not a valid filing of this id)."""
    filing = checked_filing(filing_bytes, now)
    if filing.id != filing_id:
        raise BadFilingError("the filing's id differs from the envelope's idempotency_key")
    return filing
