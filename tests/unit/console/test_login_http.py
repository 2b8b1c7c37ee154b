"""Login, sessions and logout through the real app (TestClient, SQLite)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from server_sync.intake import store

from .conftest import World, make_world
from .helpers import STAFF_PASSWORD, STAFF_USER


def _login_form(world: World) -> str:
    return world.csrf_from(world.client.get("/console/login").text)


def _post_login(world: World, username: str, password: str, token: str | None = None):
    data = {"username": username, "password": password}
    data["csrf_token"] = token if token is not None else _login_form(world)
    return world.client.post("/console/login", data=data, follow_redirects=False)


def test_pages_redirect_to_login_without_a_session(world: World) -> None:
    for path in ("/console/", "/console/search", "/console/fleet"):
        response = world.client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/console/login"


def test_login_sets_a_strict_httponly_secure_cookie(world: World) -> None:
    response = _post_login(world, STAFF_USER, STAFF_PASSWORD)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("console_session=")
    for attribute in ("HttpOnly", "Secure", "Path=/console", "SameSite=strict"):
        assert attribute.lower() in cookie.lower()
    home = world.client.get("/console/")
    assert home.status_code == 200
    assert 'id="scan"' in home.text and "autofocus" in home.text
    assert 'id="user">clerk1<' in home.text


def test_only_a_hash_of_the_session_token_is_stored(world: World) -> None:
    _post_login(world, STAFF_USER, STAFF_PASSWORD)
    token = world.client.cookies["console_session"]
    with world.engine.connect() as conn:
        rows = conn.execute(text("SELECT token_hash FROM console_sessions")).all()
    assert [r[0] for r in rows] == [hashlib.sha256(token.encode()).hexdigest()]


@pytest.mark.parametrize(
    ("username", "password"), [(STAFF_USER, "wrong password!"), ("nobody", STAFF_PASSWORD)]
)
def test_wrong_password_or_unknown_user_gets_the_same_answer(
    world: World, username: str, password: str
) -> None:
    response = _post_login(world, username, password)
    assert response.status_code == 401
    assert "ユーザー名またはパスワードが違います" in response.text
    assert "console_session" not in response.headers.get("set-cookie", "")
    assert world.client.get("/console/", follow_redirects=False).status_code == 303


def test_login_without_the_form_token_is_refused(world: World) -> None:
    world.client.get("/console/login")
    response = _post_login(world, STAFF_USER, STAFF_PASSWORD, token="forged")
    assert response.status_code == 403
    assert "csrf_failed" in response.text


def test_repeated_failures_throttle_even_the_right_password(world: World) -> None:
    for _ in range(5):
        assert _post_login(world, STAFF_USER, "wrong password!").status_code == 401
    response = _post_login(world, STAFF_USER, STAFF_PASSWORD)
    assert response.status_code == 429
    world.clock.advance(minutes=16)
    assert _post_login(world, STAFF_USER, STAFF_PASSWORD).status_code == 303


def test_idle_session_expires(world: World) -> None:
    world.login()
    world.clock.advance(minutes=29)
    assert world.client.get("/console/", follow_redirects=False).status_code == 200
    world.clock.advance(minutes=29)  # idle timer was refreshed by the last request
    assert world.client.get("/console/", follow_redirects=False).status_code == 200
    world.clock.advance(minutes=31)
    response = world.client.get("/console/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?m=expired"
    with world.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM console_sessions")).scalar_one() == 0


def test_session_has_an_absolute_lifetime(world: World) -> None:
    world.login()
    for _ in range(21):  # active every 29 minutes for 10 h 9 min
        world.clock.advance(minutes=29)
        response = world.client.get("/console/", follow_redirects=False)
    assert response.status_code == 303


def test_expired_session_refuses_posts_with_401(world: World) -> None:
    csrf = world.login()
    world.clock.advance(hours=1)
    response = world.client.post(
        "/console/scan",
        data={"part": "X", "csrf_token": csrf},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "not_logged_in"


def test_logout_kills_the_token_server_side(world: World) -> None:
    csrf = world.login()
    token = world.client.cookies["console_session"]
    response = world.client.post(
        "/console/logout", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert response.status_code == 303
    world.client.cookies.set("console_session", token, domain="intake.test", path="/console")
    assert world.client.get("/console/", follow_redirects=False).status_code == 303


def test_disabled_staff_lose_their_session(world: World) -> None:
    world.login()
    with world.engine.begin() as conn:
        conn.execute(text("UPDATE staff SET disabled = 1 WHERE username = :u"), {"u": STAFF_USER})
    assert world.client.get("/console/", follow_redirects=False).status_code == 303
    assert _post_login(world, STAFF_USER, STAFF_PASSWORD).status_code == 401


@pytest.fixture
def short_world(tmp_path: Path) -> Iterator[World]:
    """Console settings passed through IntakeSettings.extra."""
    yield from make_world(tmp_path, {"session_idle_s": "60"})


def test_settings_come_from_the_intake_extra_map(short_world: World) -> None:
    short_world.login()
    short_world.clock.advance(seconds=61)
    assert short_world.client.get("/console/", follow_redirects=False).status_code == 303


def test_every_page_carries_security_headers(world: World) -> None:
    world.login()
    for path in ("/console/", "/console/login", "/console/fleet", "/console/static/console.js"):
        headers = world.client.get(path, follow_redirects=False).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["cache-control"] == "no-store"


def test_static_files_are_an_allow_list(world: World) -> None:
    assert world.client.get("/console/static/console.css").status_code == 200
    assert world.client.get("/console/static/..%2Fauth.py").status_code == 404
    assert world.client.get("/console/static/auth.py").status_code == 404


def test_staff_created_by_the_intake_can_log_in(world: World) -> None:
    store.create_staff(
        world.engine, "clerk2", "another long secret", now=world.clock(), actor="test"
    )
    world.login("clerk2", "another long secret")


def test_logins_and_logouts_are_audited_without_secrets(world: World) -> None:
    _post_login(world, STAFF_USER, "wrong password!")
    _post_login(world, "nobody", "wrong password!")
    csrf = world.login()
    world.client.post("/console/logout", data={"csrf_token": csrf})
    entries = store.list_audit(world.engine, subject_type="staff")
    actions = [(e.action, e.subject_id) for e in entries if e.action != "staff.created"]
    assert actions == [
        ("staff.login_failed", STAFF_USER),
        ("staff.login", STAFF_USER),
        ("staff.logout", STAFF_USER),
    ]
    assert all("password" not in e.detail for e in entries)


def test_abandoned_sessions_and_their_scans_are_purged_at_the_next_login(world: World) -> None:
    from .helpers import make_filing, qr_parts

    csrf = world.login()
    (part,) = qr_parts(make_filing(2), world.kiosk_key)
    world.client.post("/console/scan", data={"part": part, "csrf_token": csrf})
    world.client.cookies.clear()  # the clerk walked away; the browser was closed
    world.clock.advance(minutes=45)
    world.login()
    with world.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM console_scans")).scalar_one() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM console_sessions")).scalar_one() == 1
