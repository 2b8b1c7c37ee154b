"""The 受付票 and summary views as plain functions (sections, PINs, language, the median)."""

from __future__ import annotations

from datetime import date

from kiosk.forms.codec import filing_from_json
from kiosk.forms.model import CardTask
from server_sync.intake.console.handoff import median_scan_to_decision, slip_view
from server_sync.intake.records import AuditEntry
from server_sync.intake.wording import interpreter_language, jst_stamp, pins_needed
from tests.unit.export.kit import EXAMPLES


def _entry(at: str, action: str, subject: str) -> AuditEntry:
    return AuditEntry("id-" + at, at, "staff:c", action, "filing", subject, "{}")


def test_median_pairs_each_decision_with_its_last_scan() -> None:
    entries = [
        _entry("2026-11-27T01:00:00.000000Z", "filing.scanned", "a"),
        _entry("2026-11-27T01:01:00.000000Z", "filing.scanned", "a"),  # scanned again
        _entry("2026-11-27T01:03:00.000000Z", "filing.accepted", "a"),  # 120 s
        _entry("2026-11-27T02:00:00.000000Z", "filing.scanned", "b"),
        _entry("2026-11-27T02:06:00.000000Z", "filing.rejected", "b"),  # 360 s
        _entry("2026-11-27T03:00:00.000000Z", "filing.accepted", "c"),  # never scanned: left out
    ]
    assert median_scan_to_decision(entries) == 240
    assert median_scan_to_decision([]) is None


def test_pins_language_and_jst() -> None:
    assert pins_needed(frozenset({CardTask.CONTINUED_USE, CardTask.SURFACE_UPDATE})) == [
        "住民基本台帳用暗証番号（数字4桁）"
    ]
    assert len(pins_needed(frozenset(CardTask))) == 2
    assert interpreter_language("vi") == "ベトナム語" and interpreter_language("ja_easy") == ""
    assert jst_stamp("2026-11-27T15:30:00.123456Z") == "2026-11-28T00:30:00+09:00"


def test_slip_of_a_join_groups_sections_and_flags_the_counter_check() -> None:
    filing = filing_from_json((EXAMPLES / "move_in_join_existing_household.json").read_text())
    view = slip_view(filing, None, "kiosk-1")
    assert [s.name for s in view.sections] == ["国保", "年金", "介護保険", "印鑑登録"]
    (seal,) = view.sections[-1].procedures
    assert seal.confirm and view.confirm_count == 1
    assert ("既存世帯主", "佐藤 健一") in view.other_heads and view.status == "未登録（紙のみ）"
    assert view.people[0].age == filing.notified_on.year - 1958 - (
        (filing.notified_on.month, filing.notified_on.day) < (2, 14)
    )
    assert view.interpreter == "" and date.fromisoformat(view.moved_on[-11:-1])
