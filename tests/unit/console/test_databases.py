"""The console's SQL (its migration, sessions, scans, decisions) on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text

from .conftest import World
from .helpers import make_filing, qr_parts, signed_post

JSON = {"Accept": "application/json"}


def test_scan_accept_and_reject_on_both_databases(any_world: World) -> None:
    world = any_world
    csrf = world.login()
    posted, paper = make_filing(3), make_filing(6)
    post = signed_post(posted, world.kiosk_key, world.clock())
    assert (
        world.client.post("/api/v1/filings", content=post.body, headers=post.headers).status_code
        == 201
    )
    (part,) = qr_parts(posted, world.kiosk_key)
    assert (
        world.client.post(
            "/console/scan", data={"part": part, "csrf_token": csrf}, headers=JSON
        ).json()["state"]
        == "complete"
    )
    assert (
        world.client.post(
            f"/console/filings/{posted.id}/accept",
            data={"csrf_token": csrf, "confirm": "1"},
            follow_redirects=False,
        ).status_code
        == 303
    )
    parts = qr_parts(paper, world.kiosk_key, max_part_chars=400)
    for p in reversed(parts):
        world.client.post("/console/scan", data={"part": p, "csrf_token": csrf}, headers=JSON)
    response = world.client.post(
        f"/console/filings/{paper.id}/reject",
        data={"csrf_token": csrf, "reason": "二重届出", "confirm": "1"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with world.engine.connect() as conn:
        rows = dict(
            conn.execute(text("SELECT filing_id, status || '/' || source FROM filings")).all()
        )
        audit = conn.execute(
            text(
                "SELECT COUNT(*) FROM audit_log"
                " WHERE actor = 'staff:clerk1' AND subject_type = 'filing'"
                " AND action <> 'filing.scanned'"  # part B's scan-to-decision timing rows
            )
        ).scalar_one()
    assert rows == {posted.id: "accepted/posted", paper.id: "rejected/paper"}
    assert audit == 3  # accept, paper recorded, reject


def test_session_expiry_and_search_on_both_databases(any_world: World) -> None:
    world = any_world
    world.login()
    assert world.client.get("/console/search", params={"status": "received"}).status_code == 200
    world.clock.advance(minutes=31)
    assert world.client.get("/console/", follow_redirects=False).status_code == 303
    with world.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM console_sessions")).scalar_one() == 0
