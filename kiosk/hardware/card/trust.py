"""Trust anchors from a folder of PEM files: JPKI root certificates and CV-issuer public keys.

Every ``*.pem`` file in the folder is read; each PEM block may be an X.509 certificate (a JPKI
root) or a public key (an issuer of CV certificates). No naming convention: every anchor is tried
in turn. Unreadable files or blocks are skipped with a warning. See docs/trust-anchors.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kiosk.errors import KioskError

log = logging.getLogger(__name__)

PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\r?\n.*?-----END \1-----", re.DOTALL)
PEM_CERTIFICATE = b"CERTIFICATE"
PEM_PUBLIC_KEYS = frozenset({b"PUBLIC KEY", b"RSA PUBLIC KEY"})
PEM_SUFFIX = ".pem"


class TrustStoreError(KioskError):
    """The configured trust folder does not exist or is not a folder."""

    code = "bad_trust_dir"

    def __init__(self, path: Path) -> None:
        super().__init__(f"trust folder not found: {path}")
        self.path = path


class ChainResult(Enum):
    """Whether a certificate chains to a configured JPKI root and is valid at the given time."""

    TRUSTED = "trusted"
    UNTRUSTED = "untrusted"


@dataclass(frozen=True, slots=True)
class TrustStore:
    """JPKI root certificates and CV-certificate issuer keys."""

    roots: tuple[x509.Certificate, ...] = ()
    cv_issuer_keys: tuple[rsa.RSAPublicKey, ...] = ()

    @classmethod
    def load(cls, folder: Path) -> TrustStore:
        """Read every ``*.pem`` in ``folder`` (sorted by name); bad files are skipped."""
        if not folder.is_dir():
            raise TrustStoreError(folder)
        roots: list[x509.Certificate] = []
        keys: list[rsa.RSAPublicKey] = []
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() != PEM_SUFFIX or not path.is_file():
                continue
            try:
                blob = path.read_bytes()
            except OSError as err:
                log.warning("trust anchor %s unreadable (%s); skipped", path.name, err.strerror)
                continue
            found = _load_blocks(path.name, blob, roots, keys)
            if not found:
                log.warning("trust anchor %s holds no usable PEM block; skipped", path.name)
        log.info("trust store: %d JPKI root(s), %d CV issuer key(s)", len(roots), len(keys))
        return cls(tuple(roots), tuple(keys))

    def check_chain(
        self,
        leaf: x509.Certificate,
        at: dt.datetime,
        intermediates: Iterable[x509.Certificate] = (),
    ) -> ChainResult:
        """TRUSTED if ``leaf`` is issued by a root (directly or via one intermediate), all valid."""
        if not _valid_at(leaf, at):
            return ChainResult.UNTRUSTED
        for root in self.roots:
            if not _valid_at(root, at):
                continue
            if _issued_by(leaf, root):
                return ChainResult.TRUSTED
            for ca in intermediates:
                if _valid_at(ca, at) and _issued_by(ca, root) and _issued_by(leaf, ca):
                    return ChainResult.TRUSTED
        return ChainResult.UNTRUSTED


def _load_blocks(
    name: str, blob: bytes, roots: list[x509.Certificate], keys: list[rsa.RSAPublicKey]
) -> int:
    found = 0
    for match in PEM_BLOCK.finditer(blob):
        kind, block = match.group(1), match.group(0)
        try:
            if kind == PEM_CERTIFICATE:
                roots.append(x509.load_pem_x509_certificate(block))
                found += 1
            elif kind in PEM_PUBLIC_KEYS:
                key = serialization.load_pem_public_key(block)
                if isinstance(key, rsa.RSAPublicKey):
                    keys.append(key)
                    found += 1
                else:
                    log.warning("trust anchor %s: non-RSA public key skipped", name)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            log.warning("trust anchor %s: unreadable %s block skipped", name, kind.decode())
    return found


def _valid_at(cert: x509.Certificate, at: dt.datetime) -> bool:
    return cert.not_valid_before_utc <= at <= cert.not_valid_after_utc


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def issuer_keys(store: TrustStore | None) -> Sequence[rsa.RSAPublicKey]:
    """The CV issuer keys of ``store`` (none when no store is configured)."""
    return store.cv_issuer_keys if store is not None else ()
