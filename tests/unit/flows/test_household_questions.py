"""Issue 11 B on the headless kiosk: who files, declared 続柄, the origin household, 世帯変更."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from kiosk.flows.date_entry import DatePurpose
from kiosk.flows.steps import Step, TextPurpose
from kiosk.forms.codec import filing_from_json, filing_to_dict
from kiosk.forms.model import FilingKind, HouseholdMode, Standing
from kiosk.forms.relationship import Link, build_chain
from kiosk.forms.validation import validate
from tests.unit.flows.conftest import Harness

VISIT_CARDS = Path(__file__).resolve().parents[3] / "examples" / "visits" / "cards"
WIFE, CHILD = build_chain([Link.WIFE]), build_chain([Link.CHILD])


def _add_card_member(h: Harness, name: str, pin: str) -> None:
    flow = h.kiosk.flow
    h.take()
    h.place(str(VISIT_CARDS / f"{name}.json"))
    flow.card_steps.submit_pin(pin)
    h.settle()
    assert flow.step is Step.HOUSEHOLD


def _filing_dict(h: Harness) -> dict[str, object]:
    procedure = h.kiosk.flow.procedure
    assert procedure is not None
    filing = procedure.draft_filing()
    assert filing is not None
    return filing_to_dict(filing)


def _codes(h: Harness) -> set[str]:
    procedure = h.kiosk.flow.procedure
    assert procedure is not None
    filing = procedure.draft_filing()
    assert filing is not None
    return {f.code for f in validate(filing, h.kiosk.flow.master, today=filing.notified_on)}


def test_member_cards_get_no_relationship_until_the_resident_picks_one(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.MOVE_WITHIN)
    h.pick_address()
    _add_card_member(h, "yamada_hanako", "2580")
    assert flow.visit.members[1].relationship is None  # never inferred from age or sex
    flow.household.done()
    assert flow.step is Step.HOUSEHOLD  # "next" waits for the 続柄
    flow.household.pick_relationship(1, build_chain([Link.WIFE_UNREGISTERED]))
    flow.household.done()
    assert flow.step is Step.REVIEW
    data = _filing_dict(h)
    assert [m["relationship"] for m in data["members"]] == ["世帯主", "妻（未届）"]  # type: ignore[index]
    assert data["filer"]["standing"] == "head"  # type: ignore[index]  # the card holder, the head


def test_proxy_files_with_typed_name_furigana_and_address(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.MOVE_WITHIN)
    h.pick_address()
    flow.household.open_filer()
    assert flow.step is Step.FILER
    flow.household.filer.choose_outside(Standing.PROXY)
    for purpose, value in (
        (TextPurpose.FILER_NAME, "スズキ イチロウ"),
        (TextPurpose.FILER_FURIGANA, "スズキ イチロウ"),
        (TextPurpose.FILER_ADDRESS, "東京都中野区中野一丁目1番1号"),
        (TextPurpose.FILER_PHONE, "03-1234-5678"),
    ):
        assert flow.text.request is not None and flow.text.request.purpose is purpose
        flow.text.done(value)
    # a 任意代理人: the date on the 委任状, on the date keypad
    assert flow.step is Step.DATE_ENTRY
    request = flow.dates.request
    assert request is not None and request.purpose is DatePurpose.POWER_OF_ATTORNEY
    flow.dates.cancel()  # not answered: back to the list, the date stays unknown
    assert flow.step is Step.HOUSEHOLD
    assert "power_of_attorney_dated" not in _filing_dict(h)["filer"]  # type: ignore[operator]
    flow.household.filer.ask_power_of_attorney_date()
    flow.dates.quick(1)  # yesterday
    flow.dates.done()
    assert flow.step is Step.HOUSEHOLD
    filer = _filing_dict(h)["filer"]
    yesterday = (flow.dates.today - timedelta(days=1)).isoformat()
    assert filer["power_of_attorney_dated"] == yesterday  # type: ignore[index]
    assert filer["standing"] == "proxy" and filer["member_index"] is None  # type: ignore[index]
    assert filer["name"] == "スズキ イチロウ"  # type: ignore[index]
    assert filer["address"]["free_text"] == "東京都中野区中野一丁目1番1号"  # type: ignore[index]
    assert filer["phone"] == "03-1234-5678"  # type: ignore[index]
    codes = _codes(h)
    assert "filer.proxy.power_of_attorney" in codes and "filer.phone.missing" not in codes
    flow.cancel()
    assert all("スズキ" not in s for s in flow.personal_strings())


def test_one_member_moving_out_alone_is_partial_and_the_head_is_kept(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.MOVE_OUT)
    flow.text.done("大阪府大阪市北区梅田一丁目1番1号")
    assert flow.step is Step.HOUSEHOLD
    flow.household.open_origin()
    origin = flow.household.origin
    origin.set_staying(2)
    origin.set_old_head_member(0)  # the mover was the 世帯主 and two stay: adults or children?
    assert flow.text.request is None and not origin.complete
    origin.set_staying_adults(2)  # two adults: the new head of those who stay is asked
    assert flow.text.request is not None
    assert flow.text.request.purpose is TextPurpose.REMAINING_HEAD
    flow.text.done("ヤマダ ハナコ")
    assert flow.step is Step.ORIGIN
    origin.done()
    assert flow.step is Step.HOUSEHOLD
    household = _filing_dict(h)["household"]
    assert household["origin"] == {  # type: ignore[index]
        "remaining_head": {"name": "ヤマダ ハナコ", "furigana": ""},
        "staying": 2,
    }
    assert household["previous_head"]["name"] == flow.visit.members[0].name  # type: ignore[index]
    assert "household.origin.remaining_head_missing" not in _codes(h)


def test_origin_needs_the_new_head_before_next(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.MOVE_OUT)
    flow.text.done("大阪府大阪市北区梅田一丁目1番1号")
    flow.household.open_origin()
    origin = flow.household.origin
    origin.set_staying(3)
    origin.set_old_head_member(0)
    origin.set_staying_adults(3)
    flow.text.cancel()
    origin.done()
    assert flow.step is Step.ORIGIN  # the new 世帯主 of those who stay is required
    origin.set_staying(0)  # "nobody stays" after all: back to the list, nothing partial
    assert flow.step is Step.HOUSEHOLD and _filing_dict(h)["household"].get("origin") is None  # type: ignore[attr-defined]


def test_one_adult_with_children_staying_becomes_head_without_being_named(
    harness: Harness,
) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.MOVE_OUT)
    flow.text.done("大阪府大阪市北区梅田一丁目1番1号")
    flow.household.open_origin()
    origin = flow.household.origin
    origin.set_staying(3)
    origin.set_old_head_member(0)
    origin.set_staying_adults(1)  # a parent with two children under 15 stays
    assert flow.text.request is None and origin.automatic_head and origin.complete
    origin.done()
    assert flow.step is Step.HOUSEHOLD
    origin_doc = _filing_dict(h)["household"]["origin"]  # type: ignore[index]
    assert origin_doc == {"remaining_head": None, "staying": 3, "staying_children": 2}
    codes = _codes(h)
    assert "household.origin.remaining_head_missing" not in codes


def test_head_change_has_no_address_and_names_the_previous_head(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.HOUSEHOLD_RESTRUCTURE)
    assert flow.step is Step.CHANGE_KIND  # no address picker
    flow.household.changes.choose_kind(FilingKind.HEAD_CHANGE)
    assert flow.step is Step.HOUSEHOLD and flow.visit.kind is FilingKind.HEAD_CHANGE
    _add_card_member(h, "yamada_hanako", "2580")
    flow.household.set_head(1)  # 花子 becomes the 世帯主; 太郎's 続柄 is asked afresh
    assert flow.visit.members[0].relationship is None
    flow.household.pick_relationship(0, build_chain([Link.HUSBAND]))
    flow.household.done()
    assert flow.step is Step.PREVIOUS_HEAD
    flow.household.changes.choose_member(0)
    assert flow.step is Step.REVIEW
    data = _filing_dict(h)
    assert data["kind"] == "head_change" and data["new_address"] is None
    assert data["household"]["previous_head"]["name"] == flow.visit.members[0].name  # type: ignore[index]
    parsed = filing_from_json(__import__("json").dumps(data, ensure_ascii=False).encode())
    assert parsed.kind is FilingKind.HEAD_CHANGE
    assert not any(c.startswith("household.") for c in _codes(h))


def test_split_asks_the_head_who_stays_and_merge_joins_a_declared_head(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.HOUSEHOLD_RESTRUCTURE)
    flow.household.changes.choose_kind(FilingKind.HOUSEHOLD_SPLIT)
    flow.household.done()
    assert flow.text.request is not None
    assert flow.text.request.purpose is TextPurpose.PREVIOUS_HEAD
    flow.text.done("ヤマダ イチロウ")
    assert flow.step is Step.REVIEW
    data = _filing_dict(h)
    assert data["kind"] == "household_split"
    assert data["household"]["previous_head"]["name"] == "ヤマダ イチロウ"  # type: ignore[index]
    assert data["household"]["mode"] == "whole"  # type: ignore[index]
    # the same visit, changed into a 世帯合併 from the review
    flow.procedure.start()  # type: ignore[union-attr]
    flow.household.changes.choose_kind(FilingKind.HOUSEHOLD_MERGE)
    assert flow.text.request is not None
    assert flow.text.request.purpose is TextPurpose.EXISTING_HEAD
    flow.text.done("サトウ ケンイチ")
    assert flow.step is Step.HOUSEHOLD and flow.visit.household_mode is HouseholdMode.JOIN
    flow.household.pick_relationship(0, build_chain([Link.CHILD, Link.HUSBAND]))
    flow.household.done()
    flow.household.changes.choose_member(0)
    data = _filing_dict(h)
    assert data["kind"] == "household_merge" and data["new_address"] is None
    assert data["household"]["existing_head"]["name"] == "サトウ ケンイチ"  # type: ignore[index]
    assert data["members"][0]["relationship"] == "子の夫"  # type: ignore[index]
    assert data["filer"]["standing"] == "self"  # type: ignore[index]


def test_the_holders_card_back_ends_only_a_complete_list(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.MOVE_WITHIN)
    h.pick_address()
    _add_card_member(h, "yamada_hanako", "2580")
    h.take()
    h.place("yamada")  # back for the signature, but 花子's 続柄 is missing: the list stays
    assert flow.step is Step.HOUSEHOLD
    flow.household.pick_relationship(1, WIFE)
    h.take()
    h.place("yamada")
    assert flow.step is Step.REVIEW  # a card placement, not a touch


def test_the_add_button_with_the_holders_card_on_the_reader_keeps_the_list(
    harness: Harness,
) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.MOVE_WITHIN)
    h.pick_address()
    flow.household.add_member_by_card()  # the holder's card still lies there: nothing to add
    h.settle()
    assert flow.step is Step.HOUSEHOLD  # not the review: no card was put back
