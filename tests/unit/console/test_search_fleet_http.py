"""Search by date, kiosk and status; the fleet view of kiosks."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from server_sync.intake import store
from server_sync.intake.records import FilingStatus

from .conftest import World
from .helpers import make_filing, raw_public_key, signed_post


def ids_on(html: str) -> set[str]:
    return set(re.findall(r'class="filing-row" data-filing-id="([^"]+)"', html))


def post(world: World, kiosk_id: str, key: Ed25519PrivateKey) -> str:
    filing = make_filing(2)
    signed = signed_post(filing, key, world.clock(), kiosk_id=kiosk_id)
    assert (
        world.client.post(
            "/api/v1/filings", content=signed.body, headers=signed.headers
        ).status_code
        == 201
    )
    return filing.id


@pytest.fixture
def second_kiosk(world: World) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    token = store.create_enrol_token(
        world.engine, "kiosk-02", ttl=timedelta(days=1), now=world.clock(), actor="t"
    )
    store.enrol_kiosk(world.engine, token, "kiosk-02", raw_public_key(key), world.clock())
    return key


def test_search_by_kiosk_status_and_date(world: World, second_kiosk: Ed25519PrivateKey) -> None:
    # clock starts 2026-11-27 01:00 UTC = 10:00 JST
    a = post(world, "kiosk-01", world.kiosk_key)
    world.clock.advance(hours=15)  # 2026-11-28 01:00 JST... 16:00 UTC = 2026-11-28 01:00 JST
    b = post(world, "kiosk-02", second_kiosk)
    c = post(world, "kiosk-02", second_kiosk)
    store.set_filing_status(
        world.engine, c, FilingStatus.REJECTED, actor="t", reason="x", now=world.clock()
    )
    world.login()
    get = world.client.get
    assert ids_on(get("/console/search").text) == {a, b, c}
    assert ids_on(get("/console/search", params={"kiosk": "kiosk-02"}).text) == {b, c}
    assert ids_on(get("/console/search", params={"status": "rejected"}).text) == {c}
    assert ids_on(
        get("/console/search", params={"status": "received", "kiosk": "kiosk-02"}).text
    ) == {b}
    # dates are Japan time: a was received on the 27th, b and c on the 28th
    assert ids_on(get("/console/search", params={"from": "2026-11-28"}).text) == {b, c}
    assert ids_on(get("/console/search", params={"to": "2026-11-27"}).text) == {a}
    assert ids_on(
        get("/console/search", params={"from": "2026-11-27", "to": "2026-11-27"}).text
    ) == {a}
    page = get("/console/search", params={"status": "rejected"}).text
    assert "1 件" in page and "却下" in page


def test_home_lists_filings_awaiting_review(world: World) -> None:
    a = post(world, "kiosk-01", world.kiosk_key)
    b = post(world, "kiosk-01", world.kiosk_key)
    store.set_filing_status(
        world.engine, b, FilingStatus.ACCEPTED, actor="t", reason=None, now=world.clock()
    )
    world.login()
    assert ids_on(world.client.get("/console/").text) == {a}


@pytest.mark.parametrize(
    "params",
    [{"from": "2026-13-01"}, {"to": "yesterday"}, {"status": "deleted"}, {"kiosk": "<script>"}],
)
def test_bad_search_input_gets_a_clear_400(world: World, params: dict[str, str]) -> None:
    world.login()
    response = world.client.get("/console/search", params=params)
    assert response.status_code == 400
    assert 'data-code="bad_input"' in response.text
    assert "<script>" not in response.text.split("<main>")[1]


def test_fleet_shows_contact_backlog_master_and_revocation(
    world: World, second_kiosk: Ed25519PrivateKey
) -> None:
    store.record_heartbeat(
        world.engine,
        "kiosk-01",
        now=world.clock(),
        backlog=7,
        dead=0,
        master_version="2026.11.1",
        app_version="0.1.0",
    )
    store.revoke_kiosk(world.engine, "kiosk-02", now=world.clock(), actor="t")
    world.clock.advance(minutes=5)
    world.login()
    html = world.client.get("/console/fleet").text
    rows = dict(re.findall(r'data-kiosk-id="([^"]+)">(.*?)</tr>', html, flags=re.S))
    assert set(rows) == {"kiosk-01", "kiosk-02"}
    assert "2026-11-27 10:00" in rows["kiosk-01"]  # last contact in Japan time
    assert (
        ">7<" in rows["kiosk-01"] and "2026.11.1" in rows["kiosk-01"] and "正常" in rows["kiosk-01"]
    )
    assert "失効" in rows["kiosk-02"]
    for _ in range(3):  # 75 minutes without contact, staying logged in
        world.clock.advance(minutes=25)
        html = world.client.get("/console/fleet").text
    assert "通信途絶" in html
