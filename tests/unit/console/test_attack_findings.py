"""Issue 15: each finding of the attack on the central side, through the real app and database."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from kiosk.forms.codec import canonical_bytes
from server_sync.envelope import build_envelope
from server_sync.intake import store
from server_sync.intake.console.auth import Authenticator
from server_sync.intake.console.errors import LoginFailedError, LoginThrottledError
from server_sync.intake.console.settings import ConsoleSettings
from server_sync.intake.console.throttle import LoginThrottle, ThrottlePolicy
from server_sync.intake.records import (
    Filing,
    FilingSource,
    FilingStatus,
    ResidentBindingState,
)
from server_sync.intake.store.filings import INSERT_FILING_SQL, row_params
from server_sync.request_auth import sign_request
from tests.fixtures.filings import build_filing

from .conftest import World, make_world
from .helpers import (
    FILINGS_PATH,
    KIOSK_ID,
    STAFF_PASSWORD,
    STAFF_USER,
    qr_parts,
    raw_public_key,
    signed_post,
)

JSON = {"Accept": "application/json"}
SUPERVISOR, SUPERVISOR_PASSWORD = "super1", "supervisor secret!"
SECOND_CLERK, SECOND_PASSWORD = "clerk2", "second clerk secret"


def _login_form(world: World, username: str, password: str) -> int:
    world.client.cookies.clear()
    page = world.client.get("/console/login")
    answer = world.client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf_token": world.csrf_from(page.text)},
        follow_redirects=False,
    )
    return answer.status_code


def _stored(filing_json: str, filing_id: str, *, created_at: str, status: FilingStatus) -> Filing:
    """A row as an older intake (without range checks) could have stored it."""
    return Filing(
        filing_id=filing_id,
        kiosk_id="kiosk-01",
        received_at="2026-11-27T01:00:00.000000Z",
        created_at=created_at,
        envelope=None,
        filing_json=filing_json,
        filing_sha256="0" * 64,
        kiosk_signature_ok=False,
        resident_binding=ResidentBindingState.ABSENT,
        resident_cert_serial=None,
        status=status,
        reject_reason="forged" if status is FilingStatus.REJECTED else None,
        decided_at="2026-11-27T02:00:00.000000Z" if status is not FilingStatus.RECEIVED else None,
        decided_by="staff:clerk1" if status is not FilingStatus.RECEIVED else None,
        source=FilingSource.PAPER,
    )


def _insert(world: World, filing: Filing) -> None:
    with world.engine.begin() as conn:
        conn.execute(text(INSERT_FILING_SQL), row_params(filing))


# --- finding 1: login floods ------------------------------------------------------------------


def test_failed_logins_never_wait_for_the_filing_databases_write_lock(
    world: World, tmp_path: Path
) -> None:
    auth = Authenticator(world.engine, ConsoleSettings(), clock=lambda: 1_800_000_000)
    holder = sqlite3.connect(tmp_path / "intake.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a long filing transaction holds the write lock
    try:
        started = time.monotonic()
        with pytest.raises(LoginFailedError):
            auth.login(STAFF_USER, "wrong password!", "10.0.0.1")
        assert time.monotonic() - started < 2  # the busy timeout is 10 s
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_flood_from_many_sources_locks_the_sources_not_the_clerk(world: World) -> None:
    now = 1_800_000_000
    auth = Authenticator(world.engine, ConsoleSettings(), clock=lambda: now)
    for attacker in range(40):
        with pytest.raises(LoginFailedError):
            auth.login(STAFF_USER, "wrong password!", f"10.0.1.{attacker}")
    # the name is now guarded: the attacking sources are refused before any hash …
    with pytest.raises(LoginThrottledError):
        auth.login(STAFF_USER, STAFF_PASSWORD, "10.0.1.7")
    # … and the clerk at another desk logs in at once
    _token, session = auth.login(STAFF_USER, STAFF_PASSWORD, "10.0.9.9")
    assert session.username == STAFF_USER
    # one audit row per attacking source, none of them with a write per attempt
    entries = store.list_audit(world.engine, subject_type="staff")
    assert len([e for e in entries if e.action == "staff.login_failed"]) == 40


def test_one_source_backs_off_longer_after_each_failure(world: World) -> None:
    now = [1_800_000_000]
    auth = Authenticator(world.engine, ConsoleSettings(), clock=lambda: now[0])
    for _ in range(5):
        with pytest.raises(LoginFailedError):
            auth.login(STAFF_USER, "wrong password!", "10.0.2.1")
    with pytest.raises(LoginThrottledError):
        auth.login(STAFF_USER, STAFF_PASSWORD, "10.0.2.1")
    now[0] += 61  # the first lock is a minute; one more failure doubles it
    with pytest.raises(LoginFailedError):
        auth.login(STAFF_USER, "wrong password!", "10.0.2.1")
    now[0] += 61
    with pytest.raises(LoginThrottledError):
        auth.login(STAFF_USER, STAFF_PASSWORD, "10.0.2.1")
    now[0] += 61
    assert auth.login(STAFF_USER, STAFF_PASSWORD, "10.0.2.1")[1].username == STAFF_USER


def test_the_password_hash_pool_is_bounded_and_serves_clean_sources_first() -> None:
    throttle = LoginThrottle(ThrottlePolicy(hash_slots=1, hash_queue=1))
    throttle.failed("10.0.3.1", "clerk1", 1)  # a suspect source
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with throttle.hashing("10.0.3.2"):
            inside.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    inside.wait(5)
    order: list[str] = []
    waiting = [
        threading.Thread(target=lambda s=s: _hash_in(throttle, s, order))
        for s in ("10.0.3.1", "10.0.3.3")
    ]
    waiting[0].start()
    time.sleep(0.05)
    waiting[1].start()
    time.sleep(0.05)
    # each lane holds one waiter: a third is refused at once
    with pytest.raises(LoginThrottledError), throttle.hashing("10.0.3.1"):
        pass
    release.set()
    for thread in (holder, *waiting):
        thread.join(5)
    assert order == ["10.0.3.3", "10.0.3.1"]  # the clean source went first


def _hash_in(throttle: LoginThrottle, source: str, order: list[str]) -> None:
    with throttle.hashing(source):
        order.append(source)


def test_throttled_logins_are_answered_slowly_over_http(world: World) -> None:
    for _ in range(5):
        assert _login_form(world, STAFF_USER, "wrong password!") == 401
    started = time.monotonic()
    assert _login_form(world, STAFF_USER, STAFF_PASSWORD) == 429
    assert time.monotonic() - started >= 0.9  # a tarpit for the attacker's loop


# --- finding 2: forged paper --------------------------------------------------------------------


@pytest.mark.parametrize(
    "created_at",
    [datetime(9999, 12, 31, tzinfo=UTC), datetime(2001, 1, 1, tzinfo=UTC)],
)
def test_paper_with_an_absurd_date_is_refused_with_a_clear_message(
    world: World, created_at: datetime
) -> None:
    csrf = world.login()
    filing = build_filing(members=2, created_at=created_at)
    (part,) = qr_parts(filing, world.kiosk_key)
    answer = world.client.post(
        "/console/scan", data={"part": part, "csrf_token": csrf}, headers=JSON
    )
    assert answer.status_code == 422
    assert answer.json()["error"] == "bad_scan" and "日付" in answer.json()["message"]


def test_pages_render_whatever_is_stored(world: World) -> None:
    filing = build_filing(members=1)
    raw = canonical_bytes(filing).decode()
    stamps = ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "not a time"]
    ids = []
    for i, stamp in enumerate(stamps):
        fid = f"0190c0de-0000-7000-8000-00000000000{i}"
        _insert(world, _stored(raw, fid, created_at=stamp, status=FilingStatus.REJECTED))
        ids.append(fid)
    world.login()
    for path in ["/console/search", "/console/search?status=rejected", "/console/"]:
        assert world.client.get(path).status_code == 200, path
    for fid in ids:
        page = world.client.get(f"/console/filings/{fid}")
        assert page.status_code == 200 and fid in page.text


# --- finding 3: formulas in exports, validation at the intake ------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("phone", "@SUM(1)", "phone.invalid"), ("furigana", '=HYPERLINK("x")', "not_katakana")],
)
def test_the_intake_runs_the_kiosks_validation_on_posted_filings(
    world: World, field: str, value: str, code: str
) -> None:
    filing = build_filing(members=1)
    if field == "phone":
        filing = replace(filing, phone=value)
    else:
        filing = replace(filing, members=(replace(filing.members[0], furigana=value),))
    post = signed_post(filing, world.kiosk_key, world.clock())
    answer = world.client.post("/api/v1/filings", content=post.body, headers=post.headers)
    assert answer.status_code == 422
    assert answer.json()["error"] == "filing_invalid" and code in answer.json()["detail"]
    assert store.get_filing(world.engine, filing.id) is None


@pytest.fixture
def supervised(tmp_path: Path) -> Iterator[World]:
    """A world with a supervisor and a second clerk."""
    for w in make_world(tmp_path):
        for name, password, role in (
            (SUPERVISOR, SUPERVISOR_PASSWORD, "supervisor"),
            (SECOND_CLERK, SECOND_PASSWORD, "clerk"),
        ):
            store.create_staff(w.engine, name, password, now=w.clock(), actor="test", role=role)
        yield w


def test_console_export_neutralises_every_formula_cell(supervised: World) -> None:
    filing = build_filing(members=1, name="=1+1")  # stored by an intake that did not validate
    bad_member = replace(filing.members[0], furigana='=HYPERLINK("http://x","y")')
    filing = replace(filing, members=(bad_member,), phone="-2+3")
    raw = canonical_bytes(filing).decode()
    _insert(
        supervised,
        _stored(raw, filing.id, created_at="2026-11-27T00:30:00Z", status=FilingStatus.ACCEPTED),
    )
    csrf = supervised.login(SUPERVISOR, SUPERVISOR_PASSWORD)
    answer = supervised.client.post("/console/export", data={"csrf_token": csrf})
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.text)))
    cells = [cell for row in rows for cell in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["name"] == "'=1+1" and record["phone"] == "'-2+3"
    assert record["furigana"].startswith("'=HYPERLINK")


# --- finding 4: named staff with roles -----------------------------------------------------------


def _post_and_scan(world: World, csrf: str) -> str:
    filing = build_filing(members=2)
    post = signed_post(filing, world.kiosk_key, world.clock())
    assert world.client.post("/api/v1/filings", content=post.body, headers=post.headers).is_success
    (part,) = qr_parts(filing, world.kiosk_key)
    world.client.post("/console/scan", data={"part": part, "csrf_token": csrf}, headers=JSON)
    return filing.id


def _act(world: World, csrf: str, path: str, **data: str) -> int:
    answer = world.client.post(
        f"/console{path}",
        data={"csrf_token": csrf, "confirm": "1", **data},  # the confirmation page's post
        follow_redirects=False,
    )
    return answer.status_code


def test_clerks_review_supervisors_export_and_reopen(supervised: World) -> None:
    csrf = supervised.login()  # clerk1, a clerk
    fid = _post_and_scan(supervised, csrf)
    assert _act(supervised, csrf, f"/filings/{fid}/accept") == 303
    assert _act(supervised, csrf, "/export") == 403
    assert _act(supervised, csrf, f"/filings/{fid}/reopen") == 403
    assert 'id="export-form"' not in supervised.client.get("/console/search").text
    supervised.client.cookies.clear()
    csrf = supervised.login(SUPERVISOR, SUPERVISOR_PASSWORD)
    assert 'id="export-form"' in supervised.client.get("/console/search").text
    assert _act(supervised, csrf, "/export") == 200
    assert _act(supervised, csrf, f"/filings/{fid}/reopen") == 303
    assert store.get_filing(supervised.engine, fid).status is FilingStatus.RECEIVED  # type: ignore[union-attr]
    actors = [(e.action, e.actor) for e in store.list_audit(supervised.engine, subject_id=fid)]
    assert ("filing.accepted", "staff:clerk1") in actors
    assert actors[-1] == ("filing.reopened", f"staff:{SUPERVISOR}")
    downloads = store.list_audit(supervised.engine, subject_type="export")
    assert [e.actor for e in downloads] == [f"staff:{SUPERVISOR}"]


def test_four_eyes_acceptance_needs_a_second_person(tmp_path: Path) -> None:
    for world in make_world(tmp_path, {"accept_approvals": "2"}):
        store.create_staff(
            world.engine, SECOND_CLERK, SECOND_PASSWORD, now=world.clock(), actor="test"
        )
        csrf = world.login()
        fid = _post_and_scan(world, csrf)
        assert _act(world, csrf, f"/filings/{fid}/accept") == 303
        assert store.get_filing(world.engine, fid).status is FilingStatus.RECEIVED  # type: ignore[union-attr]
        assert _act(world, csrf, f"/filings/{fid}/accept") == 409  # the same person again
        page = world.client.get(f"/console/filings/{fid}").text
        assert 'id="approvals"' in page and STAFF_USER in page
        world.client.cookies.clear()
        csrf = world.login(SECOND_CLERK, SECOND_PASSWORD)
        world.client.post(
            "/console/scan",
            data={"part": _scanned_part(world, fid), "csrf_token": csrf},
            headers=JSON,
        )
        assert _act(world, csrf, f"/filings/{fid}/accept") == 303
        accepted = store.get_filing(world.engine, fid)
        assert accepted is not None and accepted.status is FilingStatus.ACCEPTED
        assert accepted.decided_by == f"staff:{SECOND_CLERK}"
        actions = [
            (e.action, e.actor)
            for e in store.list_audit(world.engine, subject_id=fid)
            if e.action != "filing.scanned"  # part B's scan-to-decision timing rows
        ]
        assert actions[-2:] == [
            ("filing.approved", f"staff:{STAFF_USER}"),
            ("filing.accepted", f"staff:{SECOND_CLERK}"),
        ]


def _scanned_part(world: World, filing_id: str) -> str:
    with world.engine.connect() as conn:
        parts = conn.execute(
            text("SELECT parts FROM console_scans WHERE filing_id = :f"), {"f": filing_id}
        ).scalar_one()
    return str(parts)


# --- finding 6: hardening -------------------------------------------------------------------------


def test_hsts_only_over_tls(world: World) -> None:
    assert world.client.get("/healthz").headers["strict-transport-security"].startswith("max-age=")
    plain = world.client.get("http://intake.test/healthz")
    assert "strict-transport-security" not in plain.headers


def test_a_depth_bomb_inside_a_valid_envelope_is_a_clear_422(world: World) -> None:
    fid = build_filing().id
    bomb = b"[" * 50_000 + b"]" * 50_000
    body = build_envelope(
        bomb,
        kiosk_id=KIOSK_ID,
        private_key=world.kiosk_key,
        idempotency_key=fid,
        created_at=world.clock() - timedelta(minutes=1),
        resident_certificate=None,
        resident_signature=None,
    )
    auth = sign_request(world.kiosk_key, KIOSK_ID, "POST", FILINGS_PATH, body, world.clock())
    headers = {**auth.headers(), "Content-Type": "application/json"}
    answer = world.client.post(FILINGS_PATH, content=body, headers=headers)
    assert answer.status_code == 422  # permanent for the kiosk's sender: no retry loop
    assert answer.json()["error"] == "filing_too_deep"


# --- finding 5 (in part): key history -------------------------------------------------------------


def _re_enrol(world: World) -> Ed25519PrivateKey:
    new_key = Ed25519PrivateKey.generate()
    token = store.create_enrol_token(
        world.engine, KIOSK_ID, ttl=timedelta(days=1), now=world.clock(), actor="test"
    )
    store.enrol_kiosk(world.engine, token, KIOSK_ID, raw_public_key(new_key), world.clock())
    return new_key


def test_a_re_enrolled_kiosks_older_paper_still_verifies(world: World) -> None:
    old_paper = build_filing(members=2)  # signed with the first key at 00:30
    (old_part,) = qr_parts(old_paper, world.kiosk_key)
    world.clock.advance(minutes=5)
    _re_enrol(world)
    world.clock.advance(hours=1)
    late = build_filing(members=2, created_at=world.clock() - timedelta(minutes=1))
    (late_part,) = qr_parts(late, world.kiosk_key)  # the retired key, after it was replaced
    csrf = world.login()
    for part, filing, expected in ((old_part, old_paper, "ok"), (late_part, late, "bad")):
        answer = world.client.post(
            "/console/scan", data={"part": part, "csrf_token": csrf}, headers=JSON
        )
        assert answer.json()["state"] == "complete"
        page = world.client.get(f"/console/filings/{filing.id}").text
        assert f'id="check-kiosk_signature" data-outcome="{expected}"' in page


def test_an_envelope_queued_before_re_enrolment_is_still_accepted(world: World) -> None:
    filing = build_filing(members=1, created_at=world.clock() - timedelta(minutes=2))
    body = build_envelope(
        canonical_bytes(filing),
        kiosk_id=KIOSK_ID,
        private_key=world.kiosk_key,  # the key the kiosk had when it filed
        idempotency_key=filing.id,
        created_at=filing.created_at,
        resident_certificate=None,
        resident_signature=None,
    )
    new_key = _re_enrol(world)
    auth = sign_request(new_key, KIOSK_ID, "POST", FILINGS_PATH, body, world.clock())
    headers = {**auth.headers(), "Content-Type": "application/json"}
    answer = world.client.post(FILINGS_PATH, content=body, headers=headers)
    assert answer.status_code == 201, answer.text


# --- finding 5: filing ids that cannot be squatted ---------------------------------------------


def test_a_squatted_filing_id_does_not_block_the_genuine_kiosk(world: World) -> None:
    squatter = Ed25519PrivateKey.generate()
    token = store.create_enrol_token(
        world.engine, "kiosk-99", ttl=timedelta(days=1), now=world.clock(), actor="test"
    )
    store.enrol_kiosk(world.engine, token, "kiosk-99", raw_public_key(squatter), world.clock())
    genuine = build_filing(members=2)
    forged = replace(genuine, phone="0399999999")  # read the id off the victim's printed QR
    first = signed_post(forged, squatter, world.clock(), kiosk_id="kiosk-99")
    assert (
        world.client.post(FILINGS_PATH, content=first.body, headers=first.headers).status_code
        == 201
    )
    post = signed_post(genuine, world.kiosk_key, world.clock())
    answer = world.client.post(FILINGS_PATH, content=post.body, headers=post.headers)
    assert answer.status_code == 201, answer.text  # was 409 idempotency_conflict, dead-lettered
    again = world.client.post(FILINGS_PATH, content=post.body, headers=post.headers)
    assert again.status_code == 200 and again.json()["result"] == "duplicate"
    csrf = world.login()
    (part,) = qr_parts(genuine, world.kiosk_key)
    world.client.post("/console/scan", data={"part": part, "csrf_token": csrf}, headers=JSON)
    page = world.client.get(f"/console/filings/{genuine.id}").text
    assert 'id="check-posted_copy" data-outcome="ok"' in page  # matched by kiosk and id
    answer = world.client.post(
        f"/console/filings/{genuine.id}/accept",
        data={"csrf_token": csrf, "kiosk": KIOSK_ID, "confirm": "1"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    mine = store.get_filing(world.engine, genuine.id, KIOSK_ID)
    theirs = store.get_filing(world.engine, genuine.id, "kiosk-99")
    assert mine is not None and mine.status is FilingStatus.ACCEPTED
    assert theirs is not None and theirs.status is FilingStatus.RECEIVED


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"name": "山" * 5000}, "bad_filing"),  # oversize string
        ({"created_at": datetime(9999, 12, 31, tzinfo=UTC)}, "filing_date_out_of_range"),
        ({"created_at": datetime(1999, 1, 1, tzinfo=UTC)}, "filing_date_out_of_range"),
    ],
    ids=["oversize-name", "year-9999", "before-kiosks"],
)
def test_posted_filings_out_of_range_are_a_clear_422(
    world: World, change: dict[str, object], code: str
) -> None:
    filing = build_filing(members=1, **change)  # type: ignore[arg-type]
    body = build_envelope(
        canonical_bytes(filing),
        kiosk_id=KIOSK_ID,
        private_key=world.kiosk_key,
        idempotency_key=filing.id,
        created_at=world.clock() - timedelta(minutes=1),
        resident_certificate=None,
        resident_signature=None,
    )
    auth = sign_request(world.kiosk_key, KIOSK_ID, "POST", FILINGS_PATH, body, world.clock())
    headers = {**auth.headers(), "Content-Type": "application/json"}
    answer = world.client.post(FILINGS_PATH, content=body, headers=headers)
    assert answer.status_code == 422 and answer.json()["error"] == code


def test_only_admins_see_the_staff_page(supervised: World) -> None:
    store.create_staff(
        supervised.engine,
        "boss",
        "admin long secret",
        now=supervised.clock(),
        actor="t",
        role="admin",
    )
    supervised.login()  # a clerk
    assert supervised.client.get("/console/staff").status_code == 403
    assert 'id="nav-staff"' not in supervised.client.get("/console/").text
    supervised.client.cookies.clear()
    supervised.login("boss", "admin long secret")
    page = supervised.client.get("/console/staff")
    assert page.status_code == 200 and 'id="nav-staff"' in page.text
    roles = dict(re.findall(r'data-username="([^"]+)" data-role="([^"]+)"', page.text))
    assert roles == {
        "boss": "admin",
        STAFF_USER: "clerk",
        SECOND_CLERK: "clerk",
        SUPERVISOR: "supervisor",
    }
