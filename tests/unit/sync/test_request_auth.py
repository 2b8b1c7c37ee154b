"""Signed request headers: string to sign, window, tampering."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from server_sync.errors import BadSignatureError, ClockSkewError
from server_sync.request_auth import sign_request, signing_string, verify_request

NOW = datetime(2026, 11, 27, 10, 0, 0, tzinfo=UTC)


def test_signing_string_layout() -> None:
    s = signing_string("post", "/api/v1/kiosks/heartbeat", "2026-11-27T10:00:00Z", b"{}")
    assert (
        s
        == (
            "POST\n/api/v1/kiosks/heartbeat\n2026-11-27T10:00:00Z\n"
            + hashlib.sha256(b"{}").hexdigest()
        ).encode()
    )


def test_signed_request_verifies_and_tampering_fails() -> None:
    key = Ed25519PrivateKey.generate()
    auth = sign_request(key, "k1", "GET", "/api/v1/master/manifest", b"", NOW)
    assert auth.headers()["X-Kiosk-Id"] == "k1"
    verify_request(
        key.public_key(),
        "GET",
        "/api/v1/master/manifest",
        b"",
        auth.timestamp,
        auth.signature,
        NOW + timedelta(minutes=4),
    )
    with pytest.raises(BadSignatureError):
        verify_request(
            key.public_key(),
            "GET",
            "/api/v1/master/files/x",
            b"",
            auth.timestamp,
            auth.signature,
            NOW,
        )
    with pytest.raises(BadSignatureError):
        verify_request(
            key.public_key(), "GET", "/api/v1/master/manifest", b"", auth.timestamp, "!!", NOW
        )
    with pytest.raises(ClockSkewError) as info:
        verify_request(
            key.public_key(),
            "GET",
            "/api/v1/master/manifest",
            b"",
            auth.timestamp,
            auth.signature,
            NOW + timedelta(minutes=6),
        )
    assert info.value.retryable and info.value.server_time == NOW + timedelta(minutes=6)
    with pytest.raises(BadSignatureError):  # the signature is checked before the clock
        verify_request(
            key.public_key(), "GET", "/x", b"", auth.timestamp, auth.signature, NOW + timedelta(1)
        )
    with pytest.raises(BadSignatureError):
        verify_request(
            key.public_key(), "GET", "/api/v1/master/manifest", b"", "yesterday", "", NOW
        )
