"""Cheaper filing-POST checks (issue 14) refuse and accept exactly what the plain ones do.

The envelope signature is verified over the received text with its signature member cut out
(canonical envelopes), falling back to the canonical serialisation; the kiosk keys verify in
libsodium. Both are compared here with OpenSSL and with the canonical form.
"""

from __future__ import annotations

import json

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from server_sync import envelope as env
from server_sync.errors import BadSignatureError
from server_sync.intake.ed25519 import SodiumEd25519PublicKey
from tests.unit.sync.envelopes import build as _build
from tests.unit.sync.pki import ResidentPki


def _sodium(key: Ed25519PrivateKey) -> SodiumEd25519PublicKey:
    return SodiumEd25519PublicKey(key.public_key().public_bytes_raw())


def _unsigned_canonical(body: bytes) -> bytes:
    obj = json.loads(body)
    del obj["signature"]
    return env.canonical_json(obj)


@pytest.mark.parametrize("with_resident", [True, False])
def test_a_canonical_envelope_is_verified_over_its_own_text_cut(
    key: Ed25519PrivateKey, pki: ResidentPki, with_resident: bool
) -> None:
    body = _build(key, pki if with_resident else None)
    parsed = env.parse_envelope(body)
    assert parsed.unsigned is not None  # the cut was taken, not a new serialisation
    assert parsed.signed_bytes == _unsigned_canonical(body)
    env.verify_kiosk_signature(parsed, _sodium(key))
    env.verify_kiosk_signature(parsed, key.public_key())


def test_non_canonical_envelopes_still_verify_through_the_canonical_form(
    key: Ed25519PrivateKey, pki: ResidentPki
) -> None:
    body = _build(key, pki)
    spaced_start = body.replace(b'{"created_at":', b'{ "created_at" :', 1)
    pretty = json.dumps(json.loads(body), indent=2).encode()
    slash_escaped = body.replace(b"/", b"\\/")
    for text in (spaced_start, pretty, slash_escaped):
        parsed = env.parse_envelope(text)
        assert parsed.signed_bytes != text
        env.verify_kiosk_signature(parsed, _sodium(key))


def test_a_nested_member_that_copies_the_signature_does_not_move_the_cut(
    key: Ed25519PrivateKey, pki: ResidentPki
) -> None:
    body = _build(key, pki)
    obj = json.loads(body)
    obj["resident"]["signature"] = obj["signature"]  # the card signature is now wrong
    forged = env.canonical_json(obj)
    parsed = env.parse_envelope(forged)
    assert parsed.signed_bytes == _unsigned_canonical(forged)
    with pytest.raises(BadSignatureError):
        env.verify_kiosk_signature(parsed, _sodium(key))


@pytest.mark.parametrize(
    "change",
    [
        {"kiosk_id": "ward-01.k4"},
        {"created_at": "2026-11-27T10:00:01Z"},
        {"filing_sha256": "0" * 64},
        {"resident": None},
    ],
)
def test_any_changed_member_is_refused(
    key: Ed25519PrivateKey, pki: ResidentPki, change: dict[str, object]
) -> None:
    obj = json.loads(_build(key, pki))
    obj.update(change)
    parsed = env.parse_envelope(env.canonical_json(obj))
    with pytest.raises(BadSignatureError):
        env.verify_kiosk_signature(parsed, _sodium(key))


def test_the_sodium_key_accepts_and_refuses_what_openssl_does(key: Ed25519PrivateKey) -> None:
    sodium, openssl = _sodium(key), key.public_key()
    message = b"POST\n/api/v1/filings\n2026-11-27T10:00:00Z\n" + b"a" * 64
    good = key.sign(message)
    other = Ed25519PrivateKey.generate().sign(message)
    cases: list[tuple[bytes, bytes]] = [
        (good, message),
        (good, message + b"x"),
        (good[:-1], message),
        (good + b"\x00", message),
        (b"", message),
        (bytes(64), message),
        (other, message),
        (good[:32] + bytes(32), message),
        (bytes([good[0] ^ 1]) + good[1:], message),
    ]
    for signature, data in cases:
        assert _verdict(sodium, signature, data) == _verdict(openssl, signature, data)
    assert _verdict(sodium, good, message) is True


def _verdict(public_key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def test_the_sodium_key_serialises_and_compares_as_the_openssl_key(
    key: Ed25519PrivateKey,
) -> None:
    sodium, openssl = _sodium(key), key.public_key()
    raw = openssl.public_bytes_raw()
    assert sodium.public_bytes(Encoding.Raw, PublicFormat.Raw) == raw
    assert sodium.public_bytes_raw() == raw
    pem = (Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    assert sodium.public_bytes(*pem) == openssl.public_bytes(*pem)
    assert sodium == openssl
    assert sodium != _sodium(Ed25519PrivateKey.generate())
    assert env.key_id_for(sodium) == env.key_id_for(openssl)
    with pytest.raises(ValueError):
        SodiumEd25519PublicKey(raw[:31])
