"""CSRF token comparison and the same-origin check."""

from __future__ import annotations

import pytest

from server_sync.intake.console.csrf import new_token, origin_allowed, tokens_match


def test_tokens_match_only_when_equal_and_present() -> None:
    token = new_token()
    assert len(token) >= 40
    assert tokens_match(token, token)
    assert not tokens_match(token, token[:-1])
    assert not tokens_match(token, None)
    assert not tokens_match(token, "")
    assert not tokens_match("", "")


@pytest.mark.parametrize(
    ("origin", "referer", "host", "allowed"),
    [
        (None, None, "intake.test", True),  # same-origin form posts may omit both
        ("https://intake.test", None, "intake.test", True),
        ("https://evil.example", None, "intake.test", False),
        ("null", None, "intake.test", False),
        (None, "https://intake.test/console/", "intake.test", True),
        (None, "https://evil.example/x", "intake.test", False),
        ("https://intake.test:8443", None, "intake.test:8443", True),
        ("https://intake.test", None, "intake.test:8443", False),
        ("https://intake.test", None, None, False),
    ],
)
def test_origin_check(
    origin: str | None, referer: str | None, host: str | None, allowed: bool
) -> None:
    assert origin_allowed(origin, referer, host) is allowed
