"""転入 asks how they left, the 転出予定日 and the day they started living here (keypad dates)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kiosk.flows.date_entry import DateField, DatePurpose
from kiosk.flows.honseki_places import all_places, places, rows_of
from kiosk.flows.steps import EditTarget, Step, TextPurpose
from kiosk.forms.model import FilingKind, ForeignCategory, MoveOutRoute
from tests.unit.flows.conftest import Harness


def _keys(h: Harness, digits: str) -> None:
    for key in digits:
        h.kiosk.flow.dates.press(key)


def _type_date(h: Harness, d: date) -> None:
    """On the keypad: year, month, day (each field moves on when full)."""
    dates = h.kiosk.flow.dates
    dates.select(DateField.YEAR)
    _keys(h, f"{d.year:04d}{d.month:02d}{d.day:02d}")


def _japanese_domicile_unknown(h: Harness) -> None:
    """The newcomer walk for the card holder: 日本国籍, 本籍 not known now, the reading typed."""
    flow = h.kiosk.flow
    assert flow.step is Step.NATIONALITY
    flow.newcomer.set_japanese(True)
    assert flow.step is Step.HONSEKI
    flow.newcomer.honseki_unknown()
    request = flow.text.request  # the card holds no reading: asked once
    assert request is not None and request.purpose is TextPurpose.MEMBER_FURIGANA
    flow.text.done("タカハシ タロウ")


def _move_in_to_route(h: Harness) -> None:
    flow = h.kiosk.flow
    flow.start()
    flow.choose_procedure(FilingKind.MOVE_IN)
    h.place("takahashi")  # a card from outside the ward
    flow.card_steps.submit_pin("5678")
    h.settle()
    assert flow.step is Step.MOVE_OUT_ROUTE


def test_keypad_fields_move_on_and_show_a_real_date_only(harness: Harness) -> None:
    flow = harness.kiosk.flow
    got: list[date] = []
    flow.dates.ask(DatePurpose.MOVED_ON, None, got.append, lambda: None)
    request = flow.dates.request
    assert request is not None and request.field is DateField.MONTH  # year already this year
    _keys(harness, "02")
    assert request.field is DateField.DAY
    _keys(harness, "30")  # 30 February: not a date, cannot be confirmed
    assert request.value is None
    flow.dates.done()
    assert got == [] and flow.step is Step.DATE_ENTRY
    flow.dates.back()
    assert request.day == "3"
    flow.dates.select(DateField.DAY)  # the first key replaces the field
    _keys(harness, "28")
    assert request.value == date(flow.dates.today.year, 2, 28)
    flow.dates.done()
    assert got == [date(flow.dates.today.year, 2, 28)]


@pytest.mark.parametrize(
    ("days_since_planned", "status_code"),
    [(10, "special_move_in.bring_card_and_pin"), (40, "special_move_in.expired")],
)
def test_card_route_asks_the_planned_date_and_decides_the_window(
    harness: Harness, days_since_planned: int, status_code: str
) -> None:
    h, flow = harness, harness.kiosk.flow
    _move_in_to_route(h)
    flow.route.choose(MoveOutRoute.CARD)
    assert flow.step is Step.DATE_ENTRY
    assert flow.dates.request is not None
    assert flow.dates.request.purpose is DatePurpose.PLANNED_MOVE_OUT_ON
    planned = flow.dates.today - timedelta(days=days_since_planned)
    _type_date(h, planned)
    flow.dates.done()
    # the day they started living here: shown (today), to be confirmed, never taken silently
    request = flow.dates.request
    assert flow.step is Step.DATE_ENTRY and request is not None
    assert request.purpose is DatePurpose.MOVED_ON and request.value == flow.dates.today
    flow.dates.quick(1)  # yesterday
    flow.dates.done()
    assert flow.step is Step.ADDRESS
    h.pick_address()
    flow.household.done()
    _japanese_domicile_unknown(h)
    assert flow.step is Step.REVIEW
    filing = flow.review.state.filing
    assert filing is not None
    assert filing.move_out_route is MoveOutRoute.CARD and filing.planned_move_out_on == planned
    assert filing.moved_on == flow.dates.today - timedelta(days=1)
    codes = [f.code for f in flow.review.state.findings]
    assert status_code in codes  # a warning, shown on the review (not only errors)


def test_certificate_route_skips_the_planned_date_and_can_be_changed(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _move_in_to_route(h)
    flow.route.choose(MoveOutRoute.CERTIFICATE)
    assert flow.dates.request is not None
    assert flow.dates.request.purpose is DatePurpose.MOVED_ON
    flow.dates.done()
    h.pick_address()
    flow.household.done()
    _japanese_domicile_unknown(h)
    assert "move_in.bring_certificate" in [f.code for f in flow.review.state.findings]
    flow.review.edit(EditTarget.MOVE_OUT_ROUTE)
    assert flow.step is Step.MOVE_OUT_ROUTE
    flow.route.choose(None)  # not sure: the counter asks
    assert flow.step is Step.REVIEW
    filing = flow.review.state.filing
    assert filing is not None and filing.move_out_route is None


def test_move_within_asks_no_route_and_no_date(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.MOVE_WITHIN)
    assert flow.step is Step.ADDRESS


def _to_newcomer(h: Harness) -> None:
    flow = h.kiosk.flow
    _move_in_to_route(h)
    flow.route.choose(MoveOutRoute.CERTIFICATE)
    flow.dates.done()
    h.pick_address()
    flow.household.done()
    assert flow.step is Step.NATIONALITY


def test_japanese_member_gives_honseki_and_head_of_register(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _to_newcomer(h)
    flow.newcomer.set_japanese(True)
    flow.newcomer.pick_prefecture("北海道")
    assert flow.step is Step.HONSEKI  # the 市区町村 of 北海道 from the national list
    flow.newcomer.pick_city_row("サ")
    flow.newcomer.pick_city("札幌市中央区")
    assert flow.text.request is not None
    assert flow.text.request.purpose is TextPurpose.HONSEKI_REST
    flow.text.done("キタ1ジョウ ニシ2-1")
    assert flow.text.request is not None
    assert flow.text.request.purpose is TextPurpose.HEAD_OF_REGISTER
    flow.text.done("タカハシ タロウ")
    flow.text.done("タカハシ タロウ")  # the reading of the card holder's name
    assert flow.step is Step.REVIEW
    filing = flow.review.state.filing
    assert filing is not None
    (member,) = filing.members
    assert member.honseki is not None and member.foreign is None
    assert member.honseki.address == "北海道札幌市中央区キタ1ジョウ ニシ2-1"
    assert member.honseki.head_of_register == "タカハシ タロウ"
    assert member.furigana == "タカハシ タロウ"
    codes = {f.code for f in flow.review.state.findings}
    assert "member.honseki.missing" not in codes and "member.furigana.missing" not in codes
    assert "タカハシ タロウ" in flow.personal_strings()


def test_honseki_not_in_the_list_types_the_city_or_all_of_it(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _to_newcomer(h)
    newcomer = flow.newcomer
    newcomer.set_japanese(True)
    newcomer.pick_prefecture("沖縄県")
    newcomer.city_not_listed()  # a place the list does not have: city and rest typed
    assert flow.text.request is not None and flow.text.request.purpose is TextPurpose.HONSEKI
    flow.text.cancel()  # back: the city list of the prefecture again
    assert flow.step is Step.HONSEKI and newcomer.prefecture == "沖縄県"
    newcomer.honseki_back()  # to the prefectures
    newcomer.honseki_free()  # not in the list / outside Japan: all of it typed
    assert flow.text.request is not None
    assert flow.text.request.purpose is TextPurpose.HONSEKI_FREE
    flow.text.done("カラフト トヨハラ")
    flow.text.done("タカハシ タロウ")  # 筆頭者
    flow.text.done("タカハシ タロウ")  # the reading of the holder's name
    filing = flow.review.state.filing
    assert filing is not None and filing.members[0].honseki is not None
    assert filing.members[0].honseki.address == "カラフト トヨハラ"


def test_foreign_member_card_number_is_checked_as_typed(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _to_newcomer(h)
    newcomer = flow.newcomer
    newcomer.set_japanese(False)
    assert flow.step is Step.FOREIGN
    newcomer.edit_nationality()
    flow.text.done("ベトナム")
    newcomer.edit_card_number()
    flow.text.done("ab 1234 567 cd")  # 7 digits: shown as wrong, "next" does not go on
    assert newcomer.foreign.residence_card_number == "AB1234567CD"
    assert not newcomer.foreign.card_number_ok
    newcomer.foreign_done()
    assert flow.step is Step.FOREIGN
    newcomer.edit_card_number()
    flow.text.done("ａｂ12345678ｃｄ")  # full width typed: folded
    newcomer.choose_status("技術・人文知識・国際業務")
    newcomer.edit_period()
    assert flow.dates.request is not None
    assert flow.dates.request.purpose is DatePurpose.PERIOD_ENDS_ON
    flow.dates.request.show(flow.dates.today + timedelta(days=400))
    flow.dates.done()
    assert flow.step is Step.FOREIGN
    newcomer.foreign_done()
    flow.text.done("タカハシ")  # the reading
    assert flow.step is Step.REVIEW
    filing = flow.review.state.filing
    assert filing is not None
    foreign = filing.members[0].foreign
    assert foreign is not None and filing.members[0].honseki is None
    assert foreign.residence_card_number == "AB12345678CD"
    assert foreign.category is ForeignCategory.MID_LONG_TERM
    assert foreign.nationality == "ベトナム" and foreign.status == "技術・人文知識・国際業務"
    codes = {f.code for f in flow.review.state.findings}
    assert "member.foreign.bring_card" in codes  # 住居地届出 on the card's back
    assert "member.foreign.residence_card_number.format" not in codes


def test_honseki_places_cover_every_prefecture_with_readings() -> None:
    """The national list: ~1,900 places, every prefecture, katakana readings, kana rows."""
    every = all_places()
    assert 1850 <= len(every) <= 1950
    assert len({p.prefecture for p in every}) == 47  # every 都道府県
    assert all(p.kana and all("ァ" <= ch <= "ヶ" or ch == "ー" for ch in p.kana) for p in every)
    assert [p.name for p in places("東京都", "サ")][:3] == ["品川区", "渋谷区", "新宿区"]
    assert "札幌市中央区" in {p.name for p in places("北海道", "サ")}
    assert rows_of("北海道")[0] == "ア" and all(p.row for p in every)
