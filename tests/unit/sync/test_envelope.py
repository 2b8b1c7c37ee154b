"""The envelope format: canonical bytes, signatures, strict parsing, resident binding."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from server_sync import envelope as env
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
from server_sync.ids import is_uuid7, new_uuid7
from tests.unit.sync.envelopes import FILING, NOW
from tests.unit.sync.envelopes import build as _build
from tests.unit.sync.pki import ResidentPki, make_pki


def _tamper(body: bytes, **changes: object) -> bytes:
    obj = json.loads(body)
    obj.update(changes)
    return env.canonical_json(obj)


def test_uuid7_has_version_7_and_rfc_variant_and_sorts_by_time() -> None:
    a, b = new_uuid7(now_ms=1_000), new_uuid7(now_ms=2_000)
    assert is_uuid7(a) and is_uuid7(b)
    assert a[14] == "7" and a[19] in "89ab"
    assert a < b
    assert not is_uuid7("0192f3a0-1111-4111-8111-111111111111")  # v4


def test_envelope_is_canonical_json_with_exact_members(key: Ed25519PrivateKey) -> None:
    body = _build(key)
    obj = json.loads(body)
    assert (
        body == json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )
    assert set(obj) == {
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
    assert obj["version"] == 1
    assert obj["created_at"] == "2026-11-27T10:00:00Z"
    assert base64.b64decode(obj["filing"]) == FILING
    assert obj["filing_sha256"] == hashlib.sha256(FILING).hexdigest()
    raw = key.public_key().public_bytes_raw()
    assert obj["key_id"] == hashlib.sha256(raw).digest()[:8].hex()
    assert obj["resident"] is None


def test_signature_covers_canonical_bytes_without_signature_member(key: Ed25519PrivateKey) -> None:
    obj = json.loads(_build(key))
    sig = base64.b64decode(obj.pop("signature"))
    key.public_key().verify(sig, env.canonical_json(obj))  # raises if wrong


def test_parse_and_verify_round_trip(key: Ed25519PrivateKey, pki: ResidentPki) -> None:
    parsed = env.parse_envelope(_build(key, pki))
    env.verify_kiosk_signature(parsed, key.public_key())
    env.verify_filing_digest(parsed)
    env.check_created_at(parsed, NOW + timedelta(days=3))
    cert = env.verify_resident_signature(parsed)
    assert cert is not None
    assert env.resident_chain_trusted(cert, [pki.root], datetime.now(UTC))
    assert parsed.filing == FILING and parsed.kiosk_id == "ward-01.k3"


def test_tampered_filing_fails_the_kiosk_signature(key: Ed25519PrivateKey) -> None:
    body = _tamper(_build(key), filing=base64.b64encode(b"{}").decode())
    with pytest.raises(BadSignatureError) as info:
        env.verify_kiosk_signature(env.parse_envelope(body), key.public_key())
    assert info.value.code == "bad_signature"


def test_other_kiosk_key_is_a_key_mismatch(key: Ed25519PrivateKey) -> None:
    parsed = env.parse_envelope(_build(key))
    with pytest.raises(KeyMismatchError):
        env.verify_kiosk_signature(parsed, Ed25519PrivateKey.generate().public_key())


def test_wrong_digest_is_detected_after_a_valid_signature() -> None:
    key = Ed25519PrivateKey.generate()
    obj = json.loads(_build(key))
    obj.pop("signature")
    obj["filing_sha256"] = "0" * 64
    obj["signature"] = base64.b64encode(key.sign(env.canonical_json(obj))).decode()
    parsed = env.parse_envelope(env.canonical_json(obj))
    env.verify_kiosk_signature(parsed, key.public_key())
    with pytest.raises(DigestMismatchError):
        env.verify_filing_digest(parsed)


def test_old_created_at_within_30_days_is_accepted_but_not_older(key: Ed25519PrivateKey) -> None:
    parsed = env.parse_envelope(_build(key))
    env.check_created_at(parsed, NOW + timedelta(days=29))
    with pytest.raises(FilingTooOldError) as too_old:
        env.check_created_at(parsed, NOW + timedelta(days=31))
    assert (too_old.value.code, too_old.value.retryable) == ("filing_too_old", False)
    with pytest.raises(ClockSkewError) as skew:  # made while the kiosk clock ran ahead: heals
        env.check_created_at(parsed, NOW - timedelta(hours=1))
    assert (skew.value.code, skew.value.retryable) == ("clock_skew", True)
    assert skew.value.server_time == NOW - timedelta(hours=1)


def test_wrong_resident_signature_is_rejected(key: Ed25519PrivateKey, pki: ResidentPki) -> None:
    body = env.build_envelope(
        FILING,
        kiosk_id="k1",
        private_key=key,
        idempotency_key=new_uuid7(),
        created_at=NOW,
        resident_certificate=pki.cert_der,
        resident_signature=pki.sign(b"something else"),
    )
    with pytest.raises(BadResidentSignatureError) as info:
        env.verify_resident_signature(env.parse_envelope(body))
    assert info.value.code == "bad_resident_signature"


def test_resident_chain_untrusted_under_other_root(pki: ResidentPki) -> None:
    other = make_pki("Some Other CA")
    assert not env.resident_chain_trusted(pki.cert, [other.root], datetime.now(UTC))
    assert not env.resident_chain_trusted(pki.cert, [], datetime.now(UTC))
    later = datetime.now(UTC) + timedelta(days=400)
    assert not env.resident_chain_trusted(pki.cert, [pki.root], later)


def test_resident_chain_finds_its_root_among_generations_with_the_same_name(
    pki: ResidentPki,
) -> None:
    # JPKI root generations (2015, 2019, 2023 …) share one DN: match by signature, not by name
    older_generation = make_pki()  # same default CN, another key
    assert older_generation.root.subject == pki.root.subject
    now = datetime.now(UTC)
    assert env.resident_chain_trusted(pki.cert, [older_generation.root, pki.root], now)
    assert not env.resident_chain_trusted(pki.cert, [older_generation.root], now)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"version": 2}, "version"),
        ({"version": True}, "version"),
        ({"kiosk_id": "bad id/../"}, "kiosk_id"),
        ({"key_id": "XYZ"}, "key_id"),
        ({"idempotency_key": "not-a-uuid"}, "idempotency_key"),
        ({"created_at": "2026-11-27 10:00:00"}, "timestamp"),
        ({"created_at": "2026-13-45T10:00:00Z"}, "timestamp"),
        ({"filing": "%%%"}, "filing"),
        ({"filing_sha256": "abc"}, "filing_sha256"),
        ({"resident": {"certificate": "AA=="}}, "resident"),
        ({"resident": "x"}, "resident"),
        ({"signature": 5}, "signature"),
        ({"extra": 1}, "unexpected"),
    ],
)
def test_malformed_envelopes_raise_typed_errors(
    key: Ed25519PrivateKey, change: dict[str, object], fragment: str
) -> None:
    with pytest.raises(EnvelopeError) as info:
        env.parse_envelope(_tamper(_build(key), **change))
    assert fragment in info.value.detail
    assert info.value.code == "bad_envelope"


@pytest.mark.parametrize("body", [b"", b"\xff\xfe", b"[]", b"null", b'"x"', b"{"])
def test_non_object_bodies_are_bad_envelopes(body: bytes) -> None:
    with pytest.raises(EnvelopeError):
        env.parse_envelope(body)


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deeply_nested_json_is_a_bad_envelope_not_a_recursion_error(depth: int) -> None:
    body = b"[" * depth + b"]" * depth
    with pytest.raises(EnvelopeError) as info:
        env.parse_envelope(body)
    assert info.value.code == "bad_envelope"
    nested_object = b'{"a":' * depth + b"1" + b"}" * depth
    with pytest.raises(EnvelopeError):
        env.parse_envelope(nested_object)


def test_duplicate_members_are_a_bad_envelope(key: Ed25519PrivateKey) -> None:
    good = _build(key)
    doubled = good[:-1] + b',"kiosk_id":"other"}'
    with pytest.raises(EnvelopeError) as info:
        env.parse_envelope(doubled)
    assert "duplicate" in info.value.detail


def test_size_limit(key: Ed25519PrivateKey) -> None:
    with pytest.raises(EnvelopeTooLargeError) as info:
        env.parse_envelope(b" " * (env.MAX_ENVELOPE_BYTES + 1))
    assert info.value.code == "too_large"
    with pytest.raises(EnvelopeTooLargeError):
        _build(key, filing=b"x" * env.MAX_ENVELOPE_BYTES)


def test_build_refuses_half_a_resident_binding(key: Ed25519PrivateKey) -> None:
    with pytest.raises(EnvelopeError):
        env.build_envelope(
            FILING,
            kiosk_id="k1",
            private_key=key,
            idempotency_key=new_uuid7(),
            created_at=NOW,
            resident_certificate=b"x",
            resident_signature=None,
        )
