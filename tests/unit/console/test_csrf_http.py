"""Every state-changing console request needs the session's CSRF token and a same-site origin."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from .conftest import World
from .helpers import make_filing, signed_post


@pytest.fixture
def posted(world: World) -> str:
    filing = make_filing(2)
    post = signed_post(filing, world.kiosk_key, world.clock())
    assert (
        world.client.post("/api/v1/filings", content=post.body, headers=post.headers).status_code
        == 201
    )
    return filing.id


def status(world: World, filing_id: str) -> str:
    with world.engine.connect() as conn:
        return str(
            conn.execute(
                text("SELECT status FROM filings WHERE filing_id = :f"), {"f": filing_id}
            ).scalar_one()
        )


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_reject_without_the_right_token_is_refused(
    world: World, posted: str, token: str | None
) -> None:
    world.login()
    data = {"reason": "test"}
    if token is not None:
        data["csrf_token"] = token
    response = world.client.post(f"/console/filings/{posted}/reject", data=data)
    assert response.status_code == 403
    assert "csrf_failed" in response.text
    assert status(world, posted) == "received"


def test_token_of_another_session_is_refused(world: World, posted: str) -> None:
    other = world.login()
    world.client.cookies.clear()
    world.login()
    response = world.client.post(
        f"/console/filings/{posted}/reject", data={"reason": "x", "csrf_token": other}
    )
    assert response.status_code == 403
    assert status(world, posted) == "received"


def test_cross_origin_post_is_refused_even_with_the_token(world: World, posted: str) -> None:
    csrf = world.login()
    response = world.client.post(
        f"/console/filings/{posted}/reject",
        data={"reason": "x", "csrf_token": csrf},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert status(world, posted) == "received"


def test_token_in_header_is_accepted(world: World, posted: str) -> None:
    csrf = world.login()
    response = world.client.post(
        f"/console/filings/{posted}/reject",
        data={"reason": "重複", "confirm": "1"},
        headers={"X-CSRF-Token": csrf, "Origin": "https://intake.test"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert status(world, posted) == "rejected"


def test_logout_needs_the_token(world: World) -> None:
    world.login()
    assert world.client.post("/console/logout", data={}).status_code == 403
    assert world.client.get("/console/", follow_redirects=False).status_code == 200


def test_non_form_bodies_are_refused(world: World) -> None:
    csrf = world.login()
    response = world.client.post(
        "/console/scan",
        content=b'{"part": "x"}',
        headers={"Content-Type": "application/json", "X-CSRF-Token": csrf},
    )
    assert response.status_code == 400
    assert "bad_input" in response.text


def test_oversized_forms_are_refused(world: World) -> None:
    csrf = world.login()
    response = world.client.post("/console/scan", data={"part": "A" * 70_000, "csrf_token": csrf})
    assert response.status_code == 400
