"""Server-side checks of a posted filing beyond the envelope: JPKI roots, resident binding, parsing.

The envelope checks themselves are :mod:`server_sync.envelope` (shared with the kiosk).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509

from kiosk.forms.codec import filing_from_json
from kiosk.forms.errors import FormsError
from kiosk.forms.model import Filing
from server_sync.envelope import Envelope, resident_chain_trusted, verify_resident_signature
from server_sync.intake.errors import BadFilingError, UntrustedResidentChainError
from server_sync.intake.records import ResidentBindingState

log = logging.getLogger(__name__)

PEM_SUFFIXES = (".pem", ".crt")


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


def check_resident(
    envelope: Envelope, roots: list[x509.Certificate], now: datetime, *, reject_untrusted: bool
) -> ResidentCheck:
    """Verify the card signature (422 if wrong), then classify the certificate chain."""
    cert = verify_resident_signature(envelope)
    if cert is None:
        return ResidentCheck(ResidentBindingState.ABSENT, None)
    serial = format(cert.serial_number, "x")
    if resident_chain_trusted(cert, roots, now):
        return ResidentCheck(ResidentBindingState.VERIFIED, serial)
    if reject_untrusted:
        raise UntrustedResidentChainError(
            "resident certificate does not chain to a configured JPKI root"
        )
    return ResidentCheck(ResidentBindingState.UNTRUSTED_CHAIN, serial)


def parse_filing(filing_bytes: bytes, filing_id: str) -> Filing:
    """Parse the filing bytes with kiosk.forms (422 bad_filing if not a filing of this id)."""
    try:
        filing = filing_from_json(filing_bytes)
    except FormsError as err:
        raise BadFilingError(f"filing does not parse: {err.code}") from err
    except ValueError as err:  # model validation outside the codec's own checks
        raise BadFilingError("filing does not parse") from err
    if filing.id != filing_id:
        raise BadFilingError("the filing's id differs from the envelope's idempotency_key")
    return filing
