"""The kiosk's cache of CV certificates that sign integrity records (EF 0004), per key id.

The J-LIS key that signs EF 0003 is the same for every card of a generation, and so is its CV
certificate (568 bytes, four APDUs). Once a certificate has been read from a card and verified
against a configured CV issuer key, it is kept here under its subject key id, in the state folder
(``card-cv-certificates.json``, written atomically: temp file, fsync, rename, fsync of the
folder). A later card's integrity record is checked against the cached keys first — the record's
signature picks the key (the key id is not in EF 0003, and reading it would cost an APDU) — and
EF 0004 is read only when no cached key verifies it: a new key id, a re-keyed id, or no cache.

An entry is trusted only while it verifies against the configured issuer keys: that is checked
when the file is loaded (one RSA verification per entry), so a planted or stale entry, or one
whose issuer is no longer configured, is ignored and the card's own EF 0004 is read instead. An
unreadable or malformed file is ignored (logged, never fatal) and rewritten at the next store; a
state folder that does not exist is never created (the cache then lives for one session only).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa

from kiosk.hardware.card.cv_certificate import CvCertificate, verify_pkcs1_sha256
from kiosk.hardware.card.errors import BadResponseError
from kiosk.hardware.card.integrity import IntegrityRecord

log = logging.getLogger(__name__)

CACHE_FILE = "card-cv-certificates.json"
FORMAT_VERSION = 1
#: key ids kept (a handful of J-LIS generations are in circulation at any time)
MAX_ENTRIES = 8
#: a cache file larger than this is not read (8 entries of 568 bytes in base64 are ~7 kB)
MAX_FILE_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class CachedCvCertificate:
    """One cached CV certificate: its bytes as read from a card, parsed."""

    der: bytes
    certificate: CvCertificate

    @property
    def key_id(self) -> bytes:
        """The subject key id (16 bytes) the entry is kept under."""
        return self.certificate.subject_key_id


class CvCertificateCache:
    """CV certificates verified against the trust anchors, kept in ``folder`` (or memory)."""

    def __init__(self, folder: Path | None) -> None:
        self._folder = folder
        self._entries: list[CachedCvCertificate] | None = None  # loaded at first use

    @classmethod
    def in_state_dir(cls, state_dir: Path | None = None) -> CvCertificateCache:
        """The cache in ``state_dir``, else in the kiosk's state folder ($KIOSK_STATE_DIR)."""
        if state_dir is None:
            from kiosk.forms.paths import state_dir as default_state_dir

            state_dir = default_state_dir()
        return cls(state_dir)

    @classmethod
    def memory_only(cls) -> CvCertificateCache:
        """A cache that persists nothing (one card session)."""
        return cls(None)

    @property
    def path(self) -> Path | None:
        """The cache file (None for a memory-only cache)."""
        return None if self._folder is None else self._folder / CACHE_FILE

    def signer_of(
        self, record: IntegrityRecord, issuer_keys: Sequence[rsa.RSAPublicKey]
    ) -> CachedCvCertificate | None:
        """The trusted cached certificate whose key verifies ``record``'s signature, if any."""
        if not issuer_keys:
            return None  # nothing can be trusted without anchors
        for entry in self._trusted(issuer_keys):
            key = entry.certificate.public_key
            if verify_pkcs1_sha256(key, record.signature, record.signed_data):
                return entry
        return None

    def store(self, der: bytes, certificate: CvCertificate) -> None:
        """Keep a certificate the caller verified against the anchors (replaces its key id)."""
        entries = [e for e in self._load() if e.key_id != certificate.subject_key_id]
        entries.append(CachedCvCertificate(der, certificate))
        self._entries = entries[-MAX_ENTRIES:]
        self._save()

    # -- internals ------------------------------------------------------------------------------

    def _trusted(self, issuer_keys: Sequence[rsa.RSAPublicKey]) -> list[CachedCvCertificate]:
        trusted = []
        for entry in self._load():
            if any(entry.certificate.is_signed_by(key) for key in issuer_keys):
                trusted.append(entry)
            else:
                log.warning("cached CV certificate not signed by a configured issuer; ignored")
        return trusted

    def _load(self) -> list[CachedCvCertificate]:
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    def _read(self) -> list[CachedCvCertificate]:
        path = self.path
        if path is None:
            return []
        try:
            with path.open("rb") as handle:
                blob = handle.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            return []
        except OSError as err:
            log.warning("CV certificate cache unreadable (%s); ignored", err.strerror)
            return []
        try:
            if len(blob) > MAX_FILE_BYTES:
                raise ValueError("too large")
            raw = json.loads(blob)
            if not isinstance(raw, dict) or raw.get("version") != FORMAT_VERSION:
                raise ValueError("unknown format")
            items = raw["certificates"]
            if not isinstance(items, list):
                raise ValueError("certificates is not a list")
            entries = [_entry(item) for item in items[-MAX_ENTRIES:]]
        except (ValueError, KeyError, TypeError, binascii.Error, BadResponseError) as err:
            log.warning("CV certificate cache %s is corrupt (%s); ignored", path.name, err)
            return []
        return entries

    def _save(self) -> None:
        folder = self._folder
        if folder is None or not folder.is_dir():
            return  # the state folder is created by the appliance, never here
        items = [
            {"key_id": e.key_id.hex(), "cv_certificate": base64.b64encode(e.der).decode("ascii")}
            for e in self._entries or []
        ]
        data = json.dumps({"version": FORMAT_VERSION, "certificates": items}).encode("ascii")
        try:
            _write_atomic(folder, CACHE_FILE, data)
        except OSError as err:
            log.warning("CV certificate cache not written (%s)", err.strerror)


def _entry(item: object) -> CachedCvCertificate:
    if not isinstance(item, dict):
        raise TypeError("entry is not an object")
    der = base64.b64decode(item["cv_certificate"], validate=True)
    certificate = CvCertificate.parse(der)
    if certificate.subject_key_id.hex() != item["key_id"]:
        raise ValueError("key id does not match the certificate")
    return CachedCvCertificate(der, certificate)


def _write_atomic(folder: Path, name: str, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, folder / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
