"""The console's filing page through the real app: the late issue-11 answers, their findings in
Japanese, and a heading that names a card procedure as the request it is."""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import date
from pathlib import Path

from kiosk.forms.codec import filing_from_json
from kiosk.forms.messages import message
from kiosk.forms.model import Filing
from kiosk.forms.validation import validate
from server_sync.intake.console.sheet import findings as console_findings

from .conftest import World
from .helpers import qr_parts
from .test_review_http import post_filing, scan

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "filings"


def example(name: str) -> Filing:
    return filing_from_json((EXAMPLES / f"{name}.json").read_bytes())


def posted(world: World, name: str, **changes: object) -> Filing:
    """A shipped example, created at the world's time (not in its future), posted by the kiosk."""
    filing = dataclasses.replace(example(name), created_at=world.clock(), **changes)  # type: ignore[arg-type]
    post_filing(world, filing)
    return filing


def heading(page: str) -> str:
    found = re.search(r'<h1 id="filing-heading">(.*?)</h1>', page, re.S)
    assert found is not None
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def fields(page: str) -> dict[str, str]:
    """The 届出内容 table: Japanese label → shown value (flags included)."""
    table = page.split('id="fields"')[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row">(.*?) <small.*?</th><td>(.*?)</td>', table, re.S)
    return {k: html.unescape(re.sub(r"<[^>]+>", "", v)).strip() for k, v in rows}


def findings(page: str) -> dict[str, str]:
    """code → the finding's line as shown."""
    items = re.findall(
        r'<li class="finding [a-z]+" data-code="([^"]+)"[^>]*>(.*?)</li>', page, re.S
    )
    return {code: html.unescape(re.sub(r"<[^>]+>", "", text)) for code, text in items}


def test_abroad_move_out_with_an_automatic_head_shows_answers_and_findings(world: World) -> None:
    world.login()
    filing = posted(world, "move_out_abroad_head_only")
    page = world.client.get(f"/console/filings/{filing.id}").text
    assert heading(page) == "住民異動届 — 転出 Notification of move"
    shown = fields(page)
    assert shown["1年以上の国外滞在"] == "はい"
    assert shown["世帯"] == "一部（残る世帯あり）"
    assert shown["残る人数"] == "3人（うち15歳未満2人）"
    assert shown["残る世帯の世帯主"] == "職権で（15歳以上の1名）"
    found = findings(page)
    expected = validate(filing, None, today=filing.notified_on)
    codes = {"household.origin.automatic_head", "move_out.abroad_new_head_consent"}
    assert codes <= set(found) and codes <= {f.code for f in expected}
    for f in expected:
        if f.code in codes:
            assert message(f, "ja") in found[f.code]
    assert "残る人数" in found["household.origin.automatic_head"]  # the field in Japanese


def test_unanswered_abroad_question_is_flagged(world: World) -> None:
    world.login()
    filing = posted(world, "move_out_abroad_head_only", abroad_for_one_year_or_more=None)
    page = world.client.get(f"/console/filings/{filing.id}").text
    assert fields(page)["1年以上の国外滞在"] == "未回答 ⚠"
    assert "move_out.abroad_duration_unknown" in findings(page)


def test_proxy_filing_shows_the_date_of_the_letter_of_attorney(world: World) -> None:
    world.login()
    filing = posted(world, "move_within_proxy_old_attorney")
    page = world.client.get(f"/console/filings/{filing.id}").text
    assert heading(page) == "住民異動届 — 転居 Notification of move"
    shown = fields(page)
    assert shown["委任状の日付"] == "令和8年7月15日 (2026-07-15)"
    assert shown["届出人"] == "森 早苗（任意代理人）"
    old = findings(page)["filer.proxy.power_of_attorney_old"]
    assert "3か月より前に書かれた委任状" in old and "届出人 委任状の日付" in old
    # a resident filing for themselves: no 委任状 row
    own = posted(world, "move_within_3_persons")
    assert "委任状の日付" not in fields(world.client.get(f"/console/filings/{own.id}").text)


def test_declared_remaining_head_is_shown(world: World) -> None:
    world.login()
    filing = posted(world, "move_out_partial_new_head")
    shown = fields(world.client.get(f"/console/filings/{filing.id}").text)
    assert shown["残る人数"] == "3人" and shown["残る世帯の世帯主"] == "加藤 大輝"


def test_card_procedures_are_headed_as_the_request_not_as_a_move(world: World) -> None:
    csrf = world.login()
    for name, title in (
        ("card/seal_card_binding", "マイナンバーカードを印鑑登録証として利用する申請"),
        ("card/honseki_convenience_registration", "本籍地利用登録申請"),
    ):
        filing = example(name)
        (part,) = qr_parts(filing, world.kiosk_key)
        assert scan(world, csrf, part).json()["state"] == "complete"
        page = world.client.get(f"/console/filings/{filing.id}").text
        shown = heading(page)
        assert shown.startswith(title) and "住民異動届" not in shown
        assert fields(page)["申請の種類"] == title
        assert "異動の種類" not in fields(page) and "新住所" not in fields(page)


def test_card_procedure_slip_and_search_name_the_request(world: World) -> None:
    world.login()
    title = "マイナンバーカードを印鑑登録証として利用する申請"
    filing = posted(world, "card/seal_card_binding")
    slip = world.client.get(f"/console/filings/{filing.id}/slip").text
    assert f"・ {title} ・" in slip
    # a request: 申請日 and 申請者, the card's address; no move date, no new address
    filed = slip.split('id="slip-filing"')[1].split("</table>")[0]
    assert "申請日" in filed and "申請者" in filed and "住所（カードの記載）" in filed
    assert not {"届出日", "異動日", "新住所", "届出人"} & set(
        re.findall(r"<th[^>]*>([^<]+)</th>", filed)
    )
    assert "カードの持ち主" in slip and "異動する人" not in slip
    move = posted(world, "move_within_3_persons")
    moved = world.client.get(f"/console/filings/{move.id}/slip").text
    assert "異動日" in moved and "異動する人とカード手続" in moved and "申請日" not in moved
    listing = world.client.get("/console/search", params={"q": "山田"}).text
    rows = listing.split('id="filing-list"')[1]
    assert f"<td>{title}</td>" in rows and filing.id in rows


def test_every_finding_of_the_examples_is_labelled_in_japanese() -> None:
    """The console names each finding's field in Japanese (no raw JSON key such as
    ``abroad_for_one_year_or_more``), for every shipped example, now and half a year later."""
    seen: set[str] = set()
    for path in sorted(EXAMPLES.rglob("*.json")):
        filing = filing_from_json(path.read_bytes())
        for today in (filing.notified_on, date(2027, 6, 1)):
            for f in console_findings(filing, today):
                seen.add(f.code)
                assert not re.search(r"[A-Za-z_]", f.field), (path.name, f.code, f.field)
                assert f.text and not re.search(r"[A-Za-z]{4,}", f.text), (f.code, f.text)
    new_codes = {
        "household.origin.automatic_head",
        "move_out.abroad_new_head_consent",
        "filer.proxy.power_of_attorney_old",
        "special_move_in.online_window",
        "related.national_health_insurance.deadline",
    }
    assert new_codes <= seen
