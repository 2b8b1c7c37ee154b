"""Each part's transitions without a window: shared sub-flows on a recording navigator, the
procedure families and the card steps on the headless kiosk (simulated cards, real master)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kiosk.flows.address_step import AddressStep
from kiosk.flows.core import PROCEDURES
from kiosk.flows.household import HouseholdPart
from kiosk.flows.procedures.card import CardProcedures
from kiosk.flows.procedures.household_change import HouseholdChangeProcedure
from kiosk.flows.procedures.moves import MovesProcedure
from kiosk.flows.staff_mode import FlowSettings, StaffMode
from kiosk.flows.steps import CounterReason, EditTarget, EndReason, Step, TextPurpose
from kiosk.flows.text_entry import TextEntry
from kiosk.flows.visit import PersonDraft, PlaceDraft, Visit
from kiosk.forms.master import AddressMaster
from kiosk.forms.model import FilingKind, HouseholdMode, Sex
from kiosk.forms.relationship import HEAD, Link, build_chain
from tests.unit.flows.conftest import Harness

VISIT_CARDS = Path(__file__).resolve().parents[3] / "examples" / "visits" / "cards"


class FakeNavigator:
    """Records the steps a part shows (the visit core's side of ``Navigator``)."""

    def __init__(self) -> None:
        self.step = Step.WELCOME
        self.shown: list[Step] = []
        self.refreshes = 0

    def go(self, step: Step) -> None:
        self.step = step
        self.shown.append(step)

    def refresh(self) -> None:
        self.refreshes += 1


# ---------------------------------------------------------------------- text entry


def test_text_entry_hands_ok_and_back_to_the_caller() -> None:
    nav, got = FakeNavigator(), []
    text = TextEntry(nav)
    text.ask(TextPurpose.DESTINATION, "", got.append, lambda: got.append("<back>"))
    assert nav.step is Step.TEXT_ENTRY and text.request is not None
    text.done("  大阪府大阪市  ")
    assert got == ["大阪府大阪市"] and text.request is None
    text.ask(TextPurpose.DESTINATION, "", got.append, lambda: got.append("<back>"))
    text.cancel()
    text.done("ignored: no request open")
    assert got == ["大阪府大阪市", "<back>"]


# ---------------------------------------------------------------------- address


def test_address_step_fills_the_draft_then_asks_for_the_katagaki(sample_master: Path) -> None:
    nav, done, back = FakeNavigator(), [], []
    with AddressMaster.open(sample_master) as master:
        text = TextEntry(nav)
        step = AddressStep(nav, master, text)
        draft = PlaceDraft()
        step.open(draft, done=lambda: done.append(1), back=lambda: back.append(1))
        step.pick("新宿")
        step.back()  # up to the towns
        step.back()  # at the top: leave
        assert back == [1] and nav.step is Step.ADDRESS
        for key in ("新宿", "0020003", "5"):
            step.pick(key)
        step.toggle_building()  # the 方書 choice on the 号 level: a building → its keyboard
        step.pick("2")
        assert draft.new_address is not None
        assert text.request is not None and text.request.purpose is TextPurpose.KATAGAKI
        assert "新宿ハイツ" in step.building_suggestions()
        text.cancel()  # back from the 方書: the picker again
        assert nav.step is Step.ADDRESS and done == []
        step.edit_katagaki(draft, done=lambda: done.append(2), back=lambda: None)
        text.done("新宿ハイツ302")
        assert done == [2] and draft.katagaki == "新宿ハイツ302"
        assert draft.new_address.katagaki_listed


# ---------------------------------------------------------------------- household


def _household(nav: FakeNavigator) -> tuple[HouseholdPart, TextEntry, Visit]:
    visit = Visit(kind=FilingKind.MOVE_WITHIN)
    visit.members = [PersonDraft("山田　太郎", birth_date=date(1980, 4, 1), sex=Sex.MALE,
                                 from_chip=True)]  # fmt: skip
    text = TextEntry(nav)
    part = HouseholdPart(nav, visit, text)
    part.set_head(0)
    return part, text, visit


def test_household_member_by_hand_goes_name_furigana_details() -> None:
    nav, finished = FakeNavigator(), []
    part, text, visit = _household(nav)
    part.open(offers_join=True, done=lambda: finished.append(1))
    part.add_member_by_hand()
    text.done("ヤマダ　ハナコ")
    assert text.request is not None and text.request.purpose is TextPurpose.MEMBER_FURIGANA
    text.done("ヤマダ　ハナコ")
    assert nav.step is Step.MEMBER_DETAILS and part.edit is not None and part.edit.index == 1
    part.done()  # details and 続柄 missing: stays
    assert finished == []
    part.set_member_details(1, date(1982, 5, 5), Sex.FEMALE)
    assert nav.step is Step.HOUSEHOLD
    assert visit.members[1].relationship is None  # declared, never suggested from age/sex
    part.done()
    assert finished == []  # the 続柄 is still missing
    part.pick_relationship(1, build_chain([Link.WIFE_UNREGISTERED]))
    assert visit.members[1].relationship.display == "妻（未届）"
    part.done()
    assert finished == [1]


def test_household_furigana_back_drops_the_typed_member() -> None:
    nav = FakeNavigator()
    part, text, visit = _household(nav)
    part.add_member_by_hand()
    text.done("ヤマダ　ケン")
    text.cancel()
    assert len(visit.members) == 1 and nav.step is Step.HOUSEHOLD


def test_household_join_clears_relationships_and_the_chain_builds_one() -> None:
    nav = FakeNavigator()
    part, text, visit = _household(nav)
    part.join_existing_household()
    text.done("スズキ　イチロウ")
    assert visit.household_mode is HouseholdMode.JOIN and visit.head_index is None
    assert part.missing() == [0]
    part.edit_relationship(0)
    assert nav.step is Step.RELATIONSHIP
    for link in ("妻", "父", "父", "父", "父"):  # at most four links are kept
        part.chain_add(link)
    assert part.edit is not None and part.edit.chain == ["妻", "父", "父", "父"]
    part.chain_clear()
    part.back()
    assert nav.step is Step.HOUSEHOLD and part.edit is None
    part.set_head(0)
    assert visit.household_mode is HouseholdMode.WHOLE and visit.members[0].relationship == HEAD


def test_the_same_card_twice_is_refused() -> None:
    nav = FakeNavigator()
    part, _text, visit = _household(nav)
    again = PersonDraft("山田　太郎", birth_date=date(1980, 4, 1), sex=Sex.MALE, from_chip=True)
    part.member_read(again)
    assert part.same_card and len(visit.members) == 1 and nav.step is Step.HOUSEHOLD


# ---------------------------------------------------------------------- staff


def test_staff_pin_opens_maintenance_and_out_of_service_ends_a_visit() -> None:
    nav, ended = FakeNavigator(), []
    text = TextEntry(nav)
    active = [False]
    staff = StaffMode(nav, FlowSettings(), text, end_visit=ended.append,
                      visit_active=lambda: active[0], visit_started=lambda: False)  # fmt: skip
    staff.pin_ok = lambda pin: pin == "0000"
    staff.ask_pin()
    text.done("1111")
    assert nav.step is Step.WELCOME
    staff.ask_pin()
    text.done("0000")
    assert nav.step is Step.MAINTENANCE
    staff.set_in_service(False)  # in maintenance: stays
    assert nav.step is Step.MAINTENANCE
    staff.close_maintenance()
    assert nav.step is Step.OUT_OF_SERVICE
    staff.set_in_service(True)
    assert nav.step is Step.WELCOME
    active[0] = True
    staff.set_in_service(False)
    assert ended == [EndReason.OUT_OF_SERVICE]


# ---------------------------------------------------------------------- procedure families


def test_families_offer_their_kinds_in_order_card_procedures_last() -> None:
    kinds = (*MovesProcedure.kinds, *HouseholdChangeProcedure.kinds, *CardProcedures.kinds)
    assert kinds == PROCEDURES
    assert CardProcedures.kinds == (
        FilingKind.SEAL_CARD_BINDING,
        FilingKind.HONSEKI_CONVENIENCE_REGISTRATION,
    )


def test_move_out_asks_the_destination_and_insists_on_one(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.MOVE_OUT)
    assert flow.text.request is not None
    assert flow.text.request.purpose is TextPurpose.DESTINATION
    flow.text.done("")
    assert flow.text.request is not None  # asked again
    flow.text.cancel()
    assert flow.step is Step.MOVE_ABROAD  # back: in Japan or abroad
    flow.abroad.back()
    assert flow.step is Step.CONFIRM_DATA
    flow.card_steps.confirm_data(True)
    flow.abroad.answer(False)
    flow.text.done("大阪府大阪市北区中之島1-3-20")
    assert flow.step is Step.HOUSEHOLD and not flow.household.offers_join
    flow.household.done()
    assert flow.step is Step.REVIEW
    flow.review.edit(EditTarget.KATAGAKI)  # no 方書 for a move out
    assert flow.step is Step.REVIEW
    flow.review.edit(EditTarget.ADDRESS)
    flow.abroad.answer(False)
    flow.text.done("大阪府大阪市北区中之島1-3-21")
    assert flow.step is Step.REVIEW  # back to the review, not the household
    filing = flow.review.state.filing
    assert filing is not None and filing.new_address.display().endswith("1-3-21")


def test_edits_from_review_come_back_to_review(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.MOVE_WITHIN)
    h.pick_address()
    flow.household.done()
    flow.review.edit(EditTarget.KATAGAKI)
    flow.text.done("新宿ハイツ101")
    assert flow.step is Step.REVIEW
    filing = flow.review.state.filing
    assert filing is not None and filing.new_address.display().endswith("新宿ハイツ101")
    flow.review.edit(EditTarget.ADDRESS)
    h.pick_address("")
    assert flow.step is Step.REVIEW
    flow.review.edit(EditTarget.RELATED)
    assert flow.step is Step.RELATED
    flow.review.related_done()
    assert flow.step is Step.REVIEW


def test_household_change_asks_its_kind_without_an_address(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.HOUSEHOLD_RESTRUCTURE)
    assert isinstance(flow.procedure, HouseholdChangeProcedure) and flow.step is Step.CHANGE_KIND
    flow.household.changes.choose_kind(FilingKind.HOUSEHOLD_RESTRUCTURE)
    assert flow.step is Step.HOUSEHOLD and not flow.household.offers_join
    flow.household.done()
    filing = flow.review.state.filing
    assert filing is not None and filing.kind is FilingKind.HOUSEHOLD_RESTRUCTURE
    assert filing.new_address.display() == ""  # 世帯変更 carries no address


def test_the_wipe_empties_every_draft_and_part(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.MOVE_WITHIN)
    h.pick_address()
    flow.household.done()
    assert flow.personal_strings() and flow.review.state.filing is not None
    flow.cancel()
    assert flow.step is Step.WELCOME and flow.personal_strings() == []
    assert flow.procedure is None and flow.review.state.filing is None
    assert flow.address.picker is None and flow.text.request is None
    assert all(not f.draft.personal_strings() and f.kind is None for f in flow.families)


# ---------------------------------------------------------------------- card steps


def test_a_further_member_card_and_the_holders_card_back(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.MOVE_WITHIN)
    h.pick_address()
    h.take()
    h.place(str(VISIT_CARDS / "yamada_ken.json"))
    assert flow.step is Step.PIN and flow.card_steps.state.for_member
    flow.card_steps.submit_pin("1357")
    h.settle()
    assert flow.step is Step.HOUSEHOLD and len(flow.visit.members) == 2
    h.take()
    h.place("yamada")  # the holder's own card again: no PIN, back to the list
    assert flow.step is Step.HOUSEHOLD and len(flow.visit.members) == 2
    flow.household.add_member_by_card()
    assert flow.step is Step.PLACE_CARD
    flow.card_steps.cancel_member()
    assert flow.step is Step.HOUSEHOLD and not flow.card_steps.state.for_member


def test_data_wrong_sends_to_the_counter(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.MOVE_WITHIN)
    flow.address.back()  # at the picker's top: the data read
    assert flow.step is Step.CONFIRM_DATA
    flow.card_steps.confirm_data(False)
    assert flow.step is Step.BLOCKED
    assert flow.card_steps.state.counter_reason is CounterReason.DATA_WRONG
