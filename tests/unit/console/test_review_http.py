"""Scanning, checks and decisions through the real app: DB rows and audit rows are asserted."""

from __future__ import annotations

import json
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from kiosk.forms.model import Filing

from .conftest import World
from .helpers import make_filing, qr_parts, signed_post, tampered_parts

JSON = {"Accept": "application/json"}


def post_filing(world: World, filing: Filing) -> None:
    post = signed_post(filing, world.kiosk_key, world.clock())
    response = world.client.post("/api/v1/filings", content=post.body, headers=post.headers)
    assert response.status_code == 201, response.text


def scan(world: World, csrf: str, part: str):
    return world.client.post("/console/scan", data={"part": part, "csrf_token": csrf}, headers=JSON)


def row(world: World, filing_id: str) -> dict[str, object] | None:
    with world.engine.connect() as conn:
        found = (
            conn.execute(
                text(
                    "SELECT status, source, reject_reason, decided_by, kiosk_signature_ok"
                    " FROM filings WHERE filing_id = :f"
                ),
                {"f": filing_id},
            )
            .mappings()
            .first()
        )
    return dict(found) if found else None


def audit(world: World, filing_id: str) -> list[tuple[str, str]]:
    with world.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT action, actor FROM audit_log WHERE subject_id = :f ORDER BY at, audit_id"),
            {"f": filing_id},
        ).all()
    return [(r[0], r[1]) for r in rows if r[0] != "filing.scanned"]  # part B's timing rows


def checks(html: str) -> dict[str, str]:
    return dict(re.findall(r'id="check-(\w+)" data-outcome="(\w+)"', html))


def decide(world: World, csrf: str, filing_id: str, action: str, **data: str):
    return world.client.post(
        f"/console/filings/{filing_id}/{action}",
        data={"csrf_token": csrf, "confirm": "1", **data},  # the confirmation page's post
        follow_redirects=False,
    )


def test_posted_filing_scanned_and_accepted(world: World) -> None:
    csrf = world.login()
    filing = make_filing(3)
    post_filing(world, filing)
    (part,) = qr_parts(filing, world.kiosk_key)
    answer = scan(world, csrf, part).json()
    assert answer["state"] == "complete"
    assert answer["url"] == f"/console/filings/{filing.id}"
    page = world.client.get(answer["url"]).text
    assert checks(page) == {
        "kiosk_signature": "ok",
        "resident_signature": "warn",
        "posted_copy": "ok",
        "validation": "warn",  # the sample's unlisted 方書 and lapsing signature certificate
    }
    assert "✔" in page and "署名有効" in page and "送信データと一致" in page
    assert 'data-status="received"' in page and "受付" in page
    assert "山田 花江" in page and ">妻<" in page and "新宿ハイツ302号室" in page
    response = decide(world, csrf, filing.id, "accept")
    assert response.status_code == 303
    assert row(world, filing.id) == {
        "status": "accepted",
        "source": "posted",
        "reject_reason": None,
        "decided_by": "staff:clerk1",
        "kiosk_signature_ok": 1,
    }
    assert audit(world, filing.id)[-1] == ("filing.accepted", "staff:clerk1")
    page = world.client.get(response.headers["location"]).text
    assert 'data-status="accepted"' in page and "受理" in page and 'id="accept"' not in page
    assert 'id="decided"' in page and "職員 clerk1" in page and 'id="accept-refused"' not in page


def test_multi_part_in_reverse_order_reports_progress(world: World) -> None:
    csrf = world.login()
    filing = make_filing(6)
    post_filing(world, filing)
    parts = qr_parts(filing, world.kiosk_key, max_part_chars=400)
    assert len(parts) == 3
    first = scan(world, csrf, parts[2]).json()
    assert (first["state"], first["have"], first["total"]) == ("incomplete", 1, 3)
    assert first["message"].startswith("1/3 読み取り済み（残り: 1, 2）")
    assert scan(world, csrf, parts[2]).json()["have"] == 1  # duplicate ignored
    assert "1/3 読み取り済み" in world.client.get("/console/").text  # progress survives a reload
    assert scan(world, csrf, parts[1]).json()["have"] == 2
    assert scan(world, csrf, parts[0]).json()["state"] == "complete"
    assert checks(world.client.get(f"/console/filings/{filing.id}").text)["posted_copy"] == "ok"


def test_paper_only_filing_is_recorded_as_paper_on_accept(world: World) -> None:
    csrf = world.login()
    filing = make_filing(2)
    (part,) = qr_parts(filing, world.kiosk_key)
    assert scan(world, csrf, part).json()["state"] == "complete"
    assert row(world, filing.id) is None  # nothing stored by merely scanning
    page = world.client.get(f"/console/filings/{filing.id}").text
    assert checks(page)["posted_copy"] == "warn" and "紙のみ" in page
    assert decide(world, csrf, filing.id, "accept").status_code == 303
    stored = row(world, filing.id)
    assert stored is not None and stored["status"] == "accepted" and stored["source"] == "paper"
    assert [a for a, _ in audit(world, filing.id)] == ["filing.received", "filing.accepted"]


def test_tampered_code_is_invalid_and_cannot_be_accepted(world: World) -> None:
    csrf = world.login()
    filing = make_filing(3)
    post_filing(world, filing)
    (part,) = tampered_parts(filing, world.kiosk_key)
    scan(world, csrf, part)
    page = world.client.get(f"/console/filings/{filing.id}").text
    assert checks(page)["kiosk_signature"] == "bad"
    assert "✖" in page and "署名無効" in page and "INVALID" in page
    assert 'id="accept"' not in page
    response = decide(world, csrf, filing.id, "accept")
    assert response.status_code == 409
    assert row(world, filing.id)["status"] == "received"


def test_code_signed_by_another_key_is_invalid(world: World) -> None:
    csrf = world.login()
    filing = make_filing(2)
    (part,) = qr_parts(filing, Ed25519PrivateKey.generate())  # forged with the kiosk's id
    scan(world, csrf, part)
    assert (
        checks(world.client.get(f"/console/filings/{filing.id}").text)["kiosk_signature"] == "bad"
    )
    assert decide(world, csrf, filing.id, "accept").status_code == 409
    assert row(world, filing.id) is None


def test_unknown_kiosk_is_flagged(world: World) -> None:
    csrf = world.login()
    filing = make_filing(2)
    (part,) = qr_parts(filing, world.kiosk_key, kiosk_id="kiosk-99")
    scan(world, csrf, part)
    page = world.client.get(f"/console/filings/{filing.id}").text
    assert "未登録の端末" in page and 'id="accept"' not in page


def test_paper_differing_from_posted_copy_is_flagged(world: World) -> None:
    csrf = world.login()
    filing = make_filing(3)
    post_filing(world, filing)
    from dataclasses import replace

    altered = replace(filing, phone="0399999999")  # same id, other content, validly signed
    (part,) = qr_parts(altered, world.kiosk_key)
    scan(world, csrf, part)
    page = world.client.get(f"/console/filings/{filing.id}").text
    assert checks(page)["posted_copy"] == "bad" and "送信データと相違" in page
    assert decide(world, csrf, filing.id, "accept").status_code == 409


def test_reject_needs_a_reason_and_records_it(world: World) -> None:
    csrf = world.login()
    filing = make_filing(3)
    post_filing(world, filing)
    assert decide(world, csrf, filing.id, "reject", reason="   ").status_code == 400
    assert row(world, filing.id)["status"] == "received"
    response = decide(world, csrf, filing.id, "reject", reason="<b>本人確認書類なし</b>")
    assert response.status_code == 303
    assert row(world, filing.id)["reject_reason"] == "<b>本人確認書類なし</b>"
    assert audit(world, filing.id)[-1] == ("filing.rejected", "staff:clerk1")
    page = world.client.get(response.headers["location"]).text
    assert "&lt;b&gt;本人確認書類なし&lt;/b&gt;" in page  # escaped, never markup
    assert decide(world, csrf, filing.id, "accept").status_code == 409


def test_accept_without_scanning_the_paper_is_refused(world: World) -> None:
    csrf = world.login()
    filing = make_filing(2)
    post_filing(world, filing)
    page = world.client.get(f"/console/filings/{filing.id}").text
    assert checks(page)["posted_copy"] == "none"
    assert decide(world, csrf, filing.id, "accept").status_code == 409


@pytest.mark.parametrize(
    ("text_", "needle"),
    [
        ("HELLO WORLD", "窓口用QRコードではありません"),
        ("", "コードが空です"),
    ],
)
def test_garbage_scans_get_a_clear_message(world: World, text_: str, needle: str) -> None:
    csrf = world.login()
    response = scan(world, csrf, text_)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "bad_scan" and needle in body["message"]


def test_mistyped_part_fails_its_checksum(world: World) -> None:
    csrf = world.login()
    (part,) = qr_parts(make_filing(2), world.kiosk_key)
    broken = part[:40] + ("A" if part[40] != "A" else "B") + part[41:]
    response = scan(world, csrf, broken)
    assert response.status_code == 422 and "読み取りが不完全" in response.json()["message"]


def test_a_new_paper_restarts_an_unfinished_scan_once_confirmed(world: World) -> None:
    csrf = world.login()
    first = qr_parts(make_filing(6), world.kiosk_key, max_part_chars=400)
    second = make_filing(2)
    scan(world, csrf, first[0])
    (part,) = qr_parts(second, world.kiosk_key)
    asked = scan(world, csrf, part)  # issue 17: asked first, the parts read are kept
    assert asked.status_code == 409 and asked.json()["error"] == "scan_other_filing"
    confirmed = world.client.post(
        "/console/scan", data={"part": part, "csrf_token": csrf, "discard": "1"}, headers=JSON
    )
    assert confirmed.json()["filing_id"] == second.id


def test_browser_form_post_without_script_redirects(world: World) -> None:
    csrf = world.login()
    filing = make_filing(2)
    (part,) = qr_parts(filing, world.kiosk_key)
    response = world.client.post(
        "/console/scan", data={"part": part + "\r\n", "csrf_token": csrf}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/console/filings/{filing.id}"


def test_scans_belong_to_the_session(world: World) -> None:
    csrf = world.login()
    filing = make_filing(2)
    (part,) = qr_parts(filing, world.kiosk_key)
    scan(world, csrf, part)
    world.client.post("/console/logout", data={"csrf_token": csrf})
    with world.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM console_scans")).scalar_one() == 0
    world.login()
    assert world.client.get(f"/console/filings/{filing.id}").status_code == 404


def test_bad_filing_ids_are_not_found(world: World) -> None:
    world.login()
    assert world.client.get("/console/filings/..%2F..%2Fetc").status_code == 404
    assert world.client.get("/console/filings/not-a-uuid").status_code == 404


def test_no_personal_data_in_logs(world: World, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    csrf = world.login()
    filing = make_filing(3)
    (part,) = qr_parts(filing, world.kiosk_key)
    scan(world, csrf, part)
    decide(world, csrf, filing.id, "accept")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("山田", "新宿", "0312345678", "correct horse"):
        assert secret not in logged
    assert json.dumps(filing.id)[1:-1] in logged


def test_part_typed_with_the_japanese_ime_on_still_reads(world: World) -> None:
    csrf = world.login()
    filing = make_filing(2)
    (part,) = qr_parts(filing, world.kiosk_key)
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" for c in part)
    assert scan(world, csrf, full_width).json()["filing_id"] == filing.id


def test_filing_page_shows_its_history(world: World) -> None:
    csrf = world.login()
    filing = make_filing(2)
    post_filing(world, filing)
    (part,) = qr_parts(filing, world.kiosk_key)
    scan(world, csrf, part)
    decide(world, csrf, filing.id, "accept")
    history = world.client.get(f"/console/filings/{filing.id}").text.split('id="history"')[1]
    assert "端末 kiosk-01" in history and "受付" in history
    assert "職員 clerk1" in history and "受理" in history


def test_same_filing_id_from_another_kiosk_is_another_filing(world: World) -> None:
    from datetime import timedelta

    from server_sync.intake import store

    from .helpers import raw_public_key

    other = Ed25519PrivateKey.generate()
    token = store.create_enrol_token(
        world.engine, "kiosk-02", ttl=timedelta(days=1), now=world.clock(), actor="t"
    )
    store.enrol_kiosk(world.engine, token, "kiosk-02", raw_public_key(other), world.clock())
    csrf = world.login()
    filing = make_filing(2)
    post_filing(world, filing)
    (part,) = qr_parts(filing, other, kiosk_id="kiosk-02")
    scan(world, csrf, part)
    page = world.client.get(f"/console/filings/{filing.id}").text
    # ids are unique per kiosk (issue 15, finding 5): kiosk-02's paper is its own, paper-only
    assert checks(page) == {
        "kiosk_signature": "ok",
        "resident_signature": "warn",
        "posted_copy": "warn",
        "validation": "warn",
    }


def test_code_with_a_malformed_kiosk_id_is_refused(world: World) -> None:
    csrf = world.login()
    (part,) = qr_parts(make_filing(2), world.kiosk_key, kiosk_id="<script>" + "x" * 200)
    response = scan(world, csrf, part)
    assert response.status_code == 422 and response.json()["error"] == "bad_scan"
