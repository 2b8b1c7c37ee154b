"""Password hashing: scrypt, salted, constant-time, malformed hashes never match."""

from __future__ import annotations

import pytest

from server_sync.intake.passwords import (
    DUMMY_HASH,
    generate_password,
    hash_password,
    verify_password,
)


def test_hash_verifies_the_right_password_only() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt$16384$8$1$")
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterY", stored)
    assert not verify_password("", stored)


def test_same_password_hashes_differently_each_time() -> None:
    assert hash_password("correct horse battery") != hash_password("correct horse battery")


def test_hash_never_contains_the_password() -> None:
    assert "horse" not in hash_password("correct horse battery")


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "plain",
        "bcrypt$1$2$3$AAAA$AAAA",
        "scrypt$abc$8$1$AAAA$AAAA",
        "scrypt$16384$8$1$not base64!$AAAA",
        "scrypt$16385$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA",  # N not a power of two
        "scrypt$4194304$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA",  # N too large (DoS)
        DUMMY_HASH,
    ],
)
def test_malformed_or_dummy_hashes_never_match(stored: str) -> None:
    assert not verify_password("correct horse battery", stored)


def test_overlong_password_is_refused_without_hashing() -> None:
    stored = hash_password("correct horse battery")
    assert not verify_password("x" * 10_000, stored)


@pytest.mark.parametrize("password", ["short", "x" * 257])
def test_hash_refuses_too_short_or_too_long_passwords(password: str) -> None:
    with pytest.raises(ValueError, match="password must have"):
        hash_password(password)


def test_generated_passwords_are_long_enough_and_unique() -> None:
    passwords = {generate_password() for _ in range(20)}
    assert len(passwords) == 20
    assert all(len(p) >= 20 for p in passwords)
    assert verify_password(next(iter(passwords)), hash_password(next(iter(passwords))))
