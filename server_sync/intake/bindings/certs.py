"""A presented 利用者証明用 certificate: parsing (PEM, DER, base64 DER) and its JPKI chain."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509

from server_sync.intake.clock import stamp
from server_sync.intake.verify import issued_by

from .errors import BadCertificateError, UntrustedCertificateError

PEM_MARK = b"-----BEGIN CERTIFICATE-----"
#: a serial as typed: hex digits, optionally ``0x``-prefixed, colons or spaces allowed
SERIAL_RE = re.compile(r"^(?:0x)?[0-9a-f]{1,64}$")
MAX_CERT_BYTES = 16_384


@dataclass(frozen=True, slots=True)
class CertId:
    """What a binding is keyed by: the issuer (RFC 4514) and the serial (lowercase hex)."""

    issuer: str
    serial: str


@dataclass(frozen=True, slots=True)
class CertFacts:
    """A parsed certificate: its id, validity and whether it chains to a configured root."""

    cert_id: CertId
    not_before: datetime
    not_after: datetime
    signed_by_root: bool

    @property
    def not_after_text(self) -> str:
        """notAfter as stored (RFC 3339 UTC)."""
        return stamp(self.not_after)

    def expired(self, now: datetime) -> bool:
        """Past notAfter (or not valid yet)."""
        return not self.not_before <= now <= self.not_after


def serial_text(serial: int) -> str:
    """The stored form of a serial (as ``verify.py`` formats it: lowercase hex)."""
    return format(serial, "x")


def normalise_serial(raw: str) -> str:
    """A typed serial (``0x1A2b``, ``1a:2b``) in the stored form, or BadCertificateError."""
    cleaned = raw.strip().lower().replace(":", "").replace(" ", "")
    if not SERIAL_RE.fullmatch(cleaned):
        raise BadCertificateError("a serial is hexadecimal digits (at most 64)")
    return serial_text(int(cleaned.removeprefix("0x"), 16))


def normalise_issuer(raw: str) -> str:
    """An issuer name as typed (RFC 4514), re-rendered the way stored names are."""
    from cryptography.x509.name import Name

    try:
        return Name.from_rfc4514_string(raw.strip()).rfc4514_string()
    except ValueError as err:
        raise BadCertificateError("the issuer is not an RFC 4514 name") from err


def load_certificate(data: bytes) -> x509.Certificate:
    """A certificate from PEM, DER or base64-encoded DER bytes (BadCertificateError otherwise)."""
    if len(data) > MAX_CERT_BYTES:
        raise BadCertificateError("the certificate is too large")
    stripped = data.strip()
    try:
        if stripped.startswith(PEM_MARK):
            return x509.load_pem_x509_certificate(stripped)
        if stripped[:1] == b"\x30":
            return x509.load_der_x509_certificate(stripped)
        return x509.load_der_x509_certificate(base64.b64decode(stripped, validate=True))
    except (ValueError, binascii.Error) as err:
        raise BadCertificateError("not a readable X.509 certificate") from err


def facts_of(cert: x509.Certificate, roots: Sequence[x509.Certificate]) -> CertFacts:
    """The certificate's id and validity, and whether one of ``roots`` signed it (any time)."""
    return CertFacts(
        cert_id=CertId(cert.issuer.rfc4514_string(), serial_text(cert.serial_number)),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        signed_by_root=any(issued_by(cert, root) for root in roots),
    )


def require_bindable(facts: CertFacts, now: datetime) -> None:
    """Refuse a certificate not signed by a configured root or outside its validity."""
    if not facts.signed_by_root:
        raise UntrustedCertificateError("the certificate does not chain to a configured JPKI root")
    if facts.expired(now):
        raise UntrustedCertificateError("the certificate is expired or not valid yet")
