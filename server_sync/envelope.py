"""The signed filing envelope: build on the kiosk, parse and verify on the intake.

Format (docs/protocol.md, "Envelope"): a canonical JSON object with the filing bytes, the kiosk id,
key id, a UUIDv7 idempotency key, a timestamp, the optional resident binding (card certificate and
card signature over the filing) and the kiosk's Ed25519 signature over the envelope without its
``signature`` member. Every check here raises an :class:`EnvelopeError` subclass with a stable code.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from server_sync.errors import (
    BadResidentSignatureError,
    BadSignatureError,
    ClockSkewError,
    DigestMismatchError,
    EnvelopeError,
    EnvelopeTooLargeError,
    FilingTooOldError,
    KeyMismatchError,
)
from server_sync.ids import is_uuid7

ENVELOPE_VERSION = 1
MAX_ENVELOPE_BYTES = 256 * 1024
KEY_ID_BYTES = 8
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
DEFAULT_MAX_AGE = timedelta(days=30)
DEFAULT_MAX_FUTURE = timedelta(minutes=5)

ENVELOPE_MEMBERS = frozenset(
    {
        "version",
        "kiosk_id",
        "key_id",
        "idempotency_key",
        "created_at",
        "filing",
        "filing_sha256",
        "resident",
        "signature",
    }
)
_RESIDENT_FIELDS = frozenset({"certificate", "signature"})
KIOSK_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_KEY_ID_RE = re.compile(r"^[0-9a-f]{16}$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@dataclass(frozen=True, slots=True)
class ResidentBinding:
    """The card's user-authentication certificate (DER) and its signature over the filing."""

    certificate: bytes
    signature: bytes


@dataclass(frozen=True, slots=True)
class Envelope:
    """A parsed (shape-checked, not yet verified) envelope."""

    version: int
    kiosk_id: str
    key_id: str
    idempotency_key: str
    created_at: datetime
    filing: bytes
    filing_sha256: str
    resident: ResidentBinding | None
    signature: bytes
    #: the bytes the kiosk signature covers: the envelope without "signature" (the received
    #: text with that member cut out, or the canonical serialisation; see parse_envelope)
    signed_bytes: bytes
    #: set when ``signed_bytes`` was cut from the received text rather than serialised (see
    #: :func:`parse_envelope`): the members whose canonical form is checked if that fails
    unsigned: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)


def canonical_json(obj: Mapping[str, Any]) -> bytes:
    """Canonical bytes: sorted keys, compact separators, UTF-8 without ASCII escaping."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    """The raw 32-byte form of an Ed25519 public key."""
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id_for(public_key: Ed25519PublicKey) -> str:
    """Hex of the first 8 bytes of SHA-256 over the raw 32-byte public key."""
    return hashlib.sha256(raw_public_key(public_key)).digest()[:KEY_ID_BYTES].hex()


def format_timestamp(moment: datetime) -> str:
    """RFC 3339 UTC with second precision, e.g. 2026-11-27T10:00:00Z."""
    if moment.tzinfo is None:
        raise ValueError("timestamp must be timezone-aware")
    return moment.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def parse_timestamp(text: str) -> datetime:
    """Parse the RFC 3339 UTC form written by :func:`format_timestamp`."""
    if not _TIMESTAMP_RE.match(text):
        raise EnvelopeError("timestamp must look like YYYY-MM-DDTHH:MM:SSZ")
    try:
        # the pattern fixed the form; fromisoformat is strptime's check at a fraction of its
        # CPU (twice per filing POST at the intake: the envelope and the signed headers)
        return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)
    except ValueError as err:
        raise EnvelopeError("timestamp is not a valid date/time") from err


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object, name: str) -> bytes:
    if not isinstance(value, str):
        raise EnvelopeError(f"{name} must be a base64 string")
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as err:
        raise EnvelopeError(f"{name} is not valid base64") from err


def build_envelope(
    filing_bytes: bytes,
    *,
    kiosk_id: str,
    private_key: Ed25519PrivateKey,
    idempotency_key: str,
    created_at: datetime,
    resident_certificate: bytes | None,
    resident_signature: bytes | None,
) -> bytes:
    """Build and sign an envelope; returns its canonical bytes (what the outbox stores)."""
    if not KIOSK_ID_RE.match(kiosk_id):
        raise EnvelopeError("kiosk_id has an invalid form")
    if not is_uuid7(idempotency_key):
        raise EnvelopeError("idempotency_key must be a UUIDv7")
    if (resident_certificate is None) != (resident_signature is None):
        raise EnvelopeError("resident certificate and signature come together or not at all")
    resident: dict[str, str] | None = None
    if resident_certificate is not None and resident_signature is not None:
        resident = {
            "certificate": _b64(resident_certificate),
            "signature": _b64(resident_signature),
        }
    body: dict[str, Any] = {
        "version": ENVELOPE_VERSION,
        "kiosk_id": kiosk_id,
        "key_id": key_id_for(private_key.public_key()),
        "idempotency_key": idempotency_key,
        "created_at": format_timestamp(created_at),
        "filing": _b64(filing_bytes),
        "filing_sha256": hashlib.sha256(filing_bytes).hexdigest(),
        "resident": resident,
    }
    body["signature"] = _b64(private_key.sign(canonical_json(body)))
    encoded = canonical_json(body)
    if len(encoded) > MAX_ENVELOPE_BYTES:
        raise EnvelopeTooLargeError(f"envelope is {len(encoded)} bytes, limit {MAX_ENVELOPE_BYTES}")
    return encoded


def _require_str(obj: Mapping[str, Any], name: str, pattern: re.Pattern[str]) -> str:
    value = obj.get(name)
    if not isinstance(value, str) or not pattern.match(value):
        raise EnvelopeError(f"{name} is missing or has an invalid form")
    return value


def _parse_resident(value: object) -> ResidentBinding | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != _RESIDENT_FIELDS:
        raise EnvelopeError("resident must be null or {certificate, signature}")
    return ResidentBinding(
        certificate=_unb64(value["certificate"], "resident.certificate"),
        signature=_unb64(value["signature"], "resident.signature"),
    )


class _DuplicateMemberError(Exception):
    """A JSON object repeats a member name (the signed bytes would be ambiguous)."""


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The object of ``pairs``; a repeated member name raises (the dict is built in C: this
    hook runs for every object of every envelope)."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateMemberError(key)
            seen.add(key)
    return result


def parse_envelope(body: bytes, *, max_bytes: int = MAX_ENVELOPE_BYTES) -> Envelope:
    """Check size, JSON shape and field forms; no signature is checked yet."""
    if len(body) > max_bytes:
        raise EnvelopeTooLargeError(f"envelope is {len(body)} bytes, limit {max_bytes}")
    try:
        obj = json.loads(body.decode("utf-8"), object_pairs_hook=_unique_members)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise EnvelopeError("envelope is not UTF-8 JSON") from err
    except _DuplicateMemberError as err:
        raise EnvelopeError("envelope has a duplicate member") from err
    except RecursionError as err:  # json.loads on thousands of nested arrays
        raise EnvelopeError("envelope nests too deeply") from err
    if not isinstance(obj, dict):
        raise EnvelopeError("envelope must be a JSON object")
    if set(obj) != ENVELOPE_MEMBERS:
        missing = sorted(ENVELOPE_MEMBERS - set(obj))
        extra = sorted(set(obj) - ENVELOPE_MEMBERS)
        raise EnvelopeError(f"envelope members wrong (missing {missing}, unexpected {extra})")
    version = obj["version"]
    if type(version) is not int or version != ENVELOPE_VERSION:
        raise EnvelopeError(f"unsupported envelope version (expected {ENVELOPE_VERSION})")
    kiosk_id = _require_str(obj, "kiosk_id", KIOSK_ID_RE)
    key_id = _require_str(obj, "key_id", _KEY_ID_RE)
    idem = obj["idempotency_key"]
    if not isinstance(idem, str) or not is_uuid7(idem):
        raise EnvelopeError("idempotency_key must be a lower-case UUIDv7")
    created_raw = obj["created_at"]
    if not isinstance(created_raw, str):
        raise EnvelopeError("created_at must be a string")
    created_at = parse_timestamp(created_raw)
    filing = _unb64(obj["filing"], "filing")
    filing_sha256 = _require_str(obj, "filing_sha256", _SHA256_RE)
    resident = _parse_resident(obj["resident"])
    signature = _unb64(obj["signature"], "signature")
    unsigned = {k: v for k, v in obj.items() if k != "signature"}
    cut = _cut_signature(body, obj["signature"])
    return Envelope(
        version=version,
        kiosk_id=kiosk_id,
        key_id=key_id,
        idempotency_key=idem,
        created_at=created_at,
        filing=filing,
        filing_sha256=filing_sha256,
        resident=resident,
        signature=signature,
        signed_bytes=canonical_json(unsigned) if cut is None else cut,
        unsigned=None if cut is None else unsigned,
    )


#: the end of every canonical envelope (sorted members: "signature" comes just before it)
_CANONICAL_END = b',"version":%d}' % ENVELOPE_VERSION


def _cut_signature(body: bytes, signature_b64: str) -> bytes | None:
    """The received envelope without its signature member, if it ends as a canonical one does
    (``…,"signature":"<base64>","version":1}``); None otherwise.

    Every kiosk sends canonical bytes, so this is what it signed, without serialising the
    object again at the intake. The cut is exact: the text parsed as one JSON object without
    duplicate members, its last character closes it, and base64 holds no quote or backslash,
    so those are its top-level "signature" and "version" members.
    """
    member = b',"signature":"' + signature_b64.encode("ascii") + b'"'
    if not body.endswith(member + _CANONICAL_END):
        return None
    return body[: -len(member + _CANONICAL_END)] + _CANONICAL_END


def verify_kiosk_signature(envelope: Envelope, public_key: Ed25519PublicKey) -> None:
    """Check key_id against the enrolled key, then the Ed25519 signature."""
    if envelope.key_id != key_id_for(public_key):
        raise KeyMismatchError("key_id does not match the enrolled kiosk key")
    try:
        public_key.verify(envelope.signature, envelope.signed_bytes)
    except InvalidSignature as err:
        if envelope.unsigned is None:
            raise BadSignatureError("kiosk signature does not verify") from err
        try:  # the received text was cut, not canonical: check the canonical form as before
            public_key.verify(envelope.signature, canonical_json(envelope.unsigned))
        except InvalidSignature as again:
            raise BadSignatureError("kiosk signature does not verify") from again


def check_created_at(
    envelope: Envelope,
    now: datetime,
    *,
    max_age: timedelta = DEFAULT_MAX_AGE,
    max_future: timedelta = DEFAULT_MAX_FUTURE,
) -> None:
    """created_at may be old (offline kiosks) up to ``max_age``, never far in the future.

    Too old is permanent (``filing_too_old``); in the future is ``clock_skew`` (retryable).
    """
    if envelope.created_at < now - max_age:
        raise FilingTooOldError("created_at is older than the accepted maximum age")
    if envelope.created_at > now + max_future:
        # the kiosk's clock ran ahead when the filing was made; it heals as time passes
        raise ClockSkewError("created_at lies in the future", server_time=now)


def verify_filing_digest(envelope: Envelope) -> None:
    """filing_sha256 must be the SHA-256 of the filing bytes."""
    if hashlib.sha256(envelope.filing).hexdigest() != envelope.filing_sha256:
        raise DigestMismatchError("filing_sha256 does not match the filing bytes")


def load_resident_certificate(binding: ResidentBinding) -> x509.Certificate:
    """Parse the resident's DER certificate."""
    try:
        return x509.load_der_x509_certificate(binding.certificate)
    except ValueError as err:
        raise BadResidentSignatureError("resident certificate is not valid DER") from err


def verify_resident_signature(envelope: Envelope) -> x509.Certificate | None:
    """Verify the card's RSA PKCS#1 v1.5 / SHA-256 signature; returns the certificate or None."""
    if envelope.resident is None:
        return None
    cert = load_resident_certificate(envelope.resident)
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise BadResidentSignatureError("resident certificate does not hold an RSA key")
    try:
        key.verify(
            envelope.resident.signature, envelope.filing, padding.PKCS1v15(), hashes.SHA256()
        )
    except InvalidSignature as err:
        raise BadResidentSignatureError("resident signature does not verify") from err
    return cert


def resident_chain_trusted(
    cert: x509.Certificate, roots: list[x509.Certificate], now: datetime
) -> bool:
    """Whether ``cert`` is valid at ``now`` and directly issued by one of the configured roots."""
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        return False
    for root in roots:
        if root.subject != cert.issuer:
            continue
        if not root.not_valid_before_utc <= now <= root.not_valid_after_utc:
            continue
        try:
            cert.verify_directly_issued_by(root)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return True
    return False
