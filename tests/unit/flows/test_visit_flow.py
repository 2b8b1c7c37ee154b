"""The visit as plain Python: real simulated cards, MemoryPrinter, a real outbox."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from kiosk.flows.outcomes import PaperOut
from kiosk.flows.steps import CardNotice, CounterReason, EditTarget, Step, TextPurpose
from kiosk.forms.codec import filing_from_json
from kiosk.forms.model import FilingKind, HouseholdMode
from kiosk.forms.relationship import Link, build_chain
from kiosk.hardware.card.sim import GenericCard
from kiosk.hardware.printer.memory import PAPER_OUT, READY
from server_sync.devicekey import load_or_create_outbox_key
from server_sync.envelope import parse_envelope, verify_resident_signature
from server_sync.outbox import Outbox
from tests.unit.flows.conftest import Harness

VISIT_CARDS = Path(__file__).resolve().parents[3] / "examples" / "visits" / "cards"


def _outbox_envelopes(h: Harness) -> list[bytes]:
    sync = h.kiosk.sync
    with Outbox.open(sync.outbox_path, load_or_create_outbox_key(sync.outbox_key_path)) as box:
        out = []
        while (msg := box.claim(due_only=False)) is not None:
            out.append(msg.envelope)
        return out


def _read_primary(h: Harness, kind: FilingKind, card: str = "yamada", pin: str = "1234") -> None:
    flow = h.kiosk.flow
    flow.start()
    flow.choose_procedure(kind)
    assert flow.step is Step.PLACE_CARD
    h.place(card)
    assert flow.step is Step.PIN
    assert flow.card_steps.state.tries_left == 3
    flow.card_steps.submit_pin(pin)
    h.settle()
    # no confirmation screen: straight on to the new address (or, for 転出, in Japan or abroad)
    assert flow.step is (Step.MOVE_ABROAD if kind is FilingKind.MOVE_OUT else Step.ADDRESS)


def _pick_shinjuku_3_5_2(h: Harness) -> None:
    flow = h.kiosk.flow
    assert flow.step is Step.ADDRESS
    for key in ("新宿", "0020003", "5"):
        flow.address.pick(key)
    flow.address.toggle_building()  # the 方書 choice on the 号 level: a building
    flow.address.pick("2")
    assert flow.step is Step.TEXT_ENTRY
    assert flow.text.request is not None and flow.text.request.purpose is TextPurpose.KATAGAKI
    assert "新宿ハイツ" in flow.address.building_suggestions()
    flow.text.done("新宿ハイツ302")


def _add_card_member(h: Harness, path: Path, pin: str, link: Link | None = None) -> None:
    """Read a further member's card; ``link``: the 続柄 the resident then picks on the list."""
    flow = h.kiosk.flow
    h.take()
    assert flow.step is Step.HOUSEHOLD  # removal is expected while swapping cards
    h.place(str(path))
    assert flow.step is Step.PIN
    flow.card_steps.submit_pin(pin)
    h.settle()
    assert flow.step is Step.HOUSEHOLD
    assert flow.visit.members[-1].relationship is None  # declared, never pre-selected
    if link is not None:
        flow.household.pick_relationship(len(flow.visit.members) - 1, build_chain([link]))


def test_three_person_move_within_is_enqueued_signed_and_printed(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _read_primary(h, FilingKind.MOVE_WITHIN)
    _pick_shinjuku_3_5_2(h)
    assert flow.step is Step.HOUSEHOLD
    _add_card_member(h, VISIT_CARDS / "yamada_hanako.json", "2580", Link.WIFE)
    _add_card_member(h, VISIT_CARDS / "yamada_ken.json", "1357", Link.CHILD)
    assert [m.relationship.display for m in flow.visit.members if m.relationship] == [
        "世帯主", "妻", "子",
    ]  # fmt: skip
    h.take()
    h.place("yamada")  # the card holder puts their card back for the binding signature
    flow.household.done()
    assert flow.step is Step.REVIEW  # the related questions show there, "not sure" preselected
    assert set(flow.review.answers) == set(flow.review.state.questions) != set()
    assert flow.review.state.errors == []
    flow.review.print(sign=True)
    h.settle()
    assert flow.step is Step.SIGN_PIN and flow.signing.state.tries_left == 3
    flow.signing.submit_pin("1234")  # yamada's 利用者証明用 PIN, asked for itself
    h.settle()
    assert flow.step is Step.DONE
    assert len(h.printer.jobs) == 1 and h.printer.jobs[0].startswith(b"\x1b@")
    envelopes = _outbox_envelopes(h)
    assert len(envelopes) == 1
    envelope = parse_envelope(envelopes[0])
    assert verify_resident_signature(envelope) is not None  # bound to the card's auth key
    filing = filing_from_json(envelope.filing)
    assert filing.kind is FilingKind.MOVE_WITHIN
    assert [m.name for m in filing.members] == ["山田　太郎", "山田　花子", "山田　健"]
    assert filing.new_address.display().endswith("新宿三丁目5番2号\u3000新宿ハイツ302")
    assert filing.new_address.katagaki_listed


def test_wrong_pin_then_right(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    flow.start()
    flow.choose_procedure(FilingKind.MOVE_OUT)
    h.place("yamada")
    flow.card_steps.submit_pin("9999")
    h.settle()
    assert flow.step is Step.PIN
    state = flow.card_steps.state
    assert state.notice is CardNotice.WRONG_PIN and state.tries_left == 2
    flow.card_steps.submit_pin("1234")
    h.settle()
    assert flow.step is Step.MOVE_ABROAD  # 転出: in Japan or abroad first
    flow.abroad.answer(False)
    assert flow.text.request is not None
    assert flow.text.request.purpose is TextPurpose.DESTINATION


def test_last_try_needs_explicit_confirmation(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    flow.start()
    flow.choose_procedure(FilingKind.MOVE_IN)
    h.place("tanaka_last_try")
    assert flow.step is Step.LAST_TRY
    flow.card_steps.confirm_last_try()
    assert flow.step is Step.PIN
    flow.card_steps.submit_pin("0000")
    h.settle()
    assert flow.step is Step.BLOCKED
    assert flow.card_steps.state.counter_reason is CounterReason.PIN_LOCKED


def test_blocked_card_sends_to_counter(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    flow.start()
    flow.choose_procedure(FilingKind.MOVE_IN)
    h.place("suzuki_blocked")
    assert flow.step is Step.BLOCKED


def test_other_card_is_recognised(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    flow.start()
    flow.choose_procedure(FilingKind.MOVE_IN)
    h.reader.insert(GenericCard())
    h.kiosk.card.poll_now()
    h.settle()
    assert flow.step is Step.PLACE_CARD
    assert flow.card_steps.state.notice is CardNotice.NOT_MY_NUMBER


def test_card_removed_mid_visit_wipes_everything(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _read_primary(h, FilingKind.MOVE_WITHIN)
    assert flow.personal_strings()
    now = [0.0]
    flow.pause.clock = lambda: now[0]
    h.take()
    assert flow.step is Step.CARD_REMOVED  # a pause with a countdown first (issue 12)
    now[0] = flow.settings.card_removed_wipe_s
    flow.pause.tick()
    assert flow.step is Step.WELCOME
    assert flow.personal_strings() == [] and not flow.visit.pin
    assert flow.visit.members == [] and flow.visit.auth_certificate == b""


def test_join_existing_household_declares_head(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _read_primary(h, FilingKind.MOVE_WITHIN)  # the card's address is in the ward: not a 転入
    _pick_shinjuku_3_5_2(h)
    flow.household.join_existing_household()
    flow.text.done("鈴木　一郎")
    assert flow.visit.household_mode is HouseholdMode.JOIN
    assert flow.household.missing() == [0]
    flow.household.edit_relationship(0)
    from kiosk.forms.relationship import COHABITANT

    flow.household.set_relationship(COHABITANT)
    flow.household.done()
    assert flow.review.state.errors == []
    filing = flow.review.state.filing
    assert filing is not None and filing.head_name == "鈴木　一郎"


def test_paper_out_keeps_the_filing_and_reprints(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _read_primary(h, FilingKind.MOVE_WITHIN)
    _pick_shinjuku_3_5_2(h)
    flow.household.done()
    h.printer.set_state(PAPER_OUT)
    flow.review.print()
    h.settle()
    assert flow.step is Step.PRINT_PROBLEM
    assert isinstance(flow.printing.state.problem, PaperOut) and flow.printing.state.saved
    assert h.printer.jobs == []
    h.printer.set_state(READY)
    flow.printing.retry()
    h.settle()
    assert flow.step is Step.DONE and len(h.printer.jobs) == 1
    assert len(_outbox_envelopes(h)) == 1  # enqueued once, before the first print attempt


def test_visit_record_never_holds_the_pin_after_printing(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _read_primary(h, FilingKind.MOVE_WITHIN)
    assert not flow.visit.pin  # never kept: the signature asks for its own PIN
    _pick_shinjuku_3_5_2(h)
    flow.household.done()
    flow.review.print(sign=True)
    h.settle()
    flow.signing.submit_pin("1234")
    h.settle()
    assert flow.step is Step.DONE and not flow.visit.pin
    assert "1234" not in json.dumps(repr(flow.visit))


def test_card_data_can_be_checked_from_the_household_list(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _read_primary(h, FilingKind.MOVE_WITHIN)
    _pick_shinjuku_3_5_2(h)
    assert flow.step is Step.HOUSEHOLD
    flow.household.show_card_data()
    assert flow.step is Step.CONFIRM_DATA
    flow.card_steps.confirm_data(True)
    assert flow.step is Step.HOUSEHOLD  # back to the list, not to the address again
    flow.household.show_card_data()
    flow.card_steps.confirm_data(False)
    assert flow.step is Step.BLOCKED
    assert flow.card_steps.state.counter_reason is CounterReason.DATA_WRONG


def test_related_answers_follow_the_household(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _read_primary(h, FilingKind.MOVE_WITHIN)
    _pick_shinjuku_3_5_2(h)
    _add_card_member(h, VISIT_CARDS / "yamada_ken.json", "1357", Link.CHILD)
    flow.household.done()
    with_child = set(flow.review.answers)
    flow.review.edit(EditTarget.HOUSEHOLD)
    flow.household.remove_member(1)
    flow.household.done()
    assert flow.step is Step.REVIEW
    assert set(flow.review.answers) == set(flow.review.state.questions)
    assert set(flow.review.answers) < with_child  # the child's questions went with the child


def test_review_findings_carry_codes_for_the_residents_language(harness: Harness) -> None:
    from kiosk.forms.messages import message
    from kiosk.i18n.catalog import translations

    h, flow = harness, harness.kiosk.flow
    _read_primary(h, FilingKind.MOVE_WITHIN)
    _pick_shinjuku_3_5_2(h)
    flow.household.done()
    flow.review.edit_moved_on()
    assert flow.step is Step.DATE_ENTRY
    request = flow.dates.request
    assert request is not None
    request.show(flow.dates.today + timedelta(days=3))  # keys: tests/unit/flows/test_moves_in.py
    flow.dates.done()  # a 転居 date after today: not allowed
    assert flow.step is Step.REVIEW
    assert "moved_on.future" in flow.review.state.errors
    finding = next(f for f in flow.review.state.findings if f.code == "moved_on.future")
    korean = message(finding, translate=lambda m, _l: translations("ko").gettext(m))
    assert korean == "이사한 날은 신고일보다 뒤일 수 없습니다. 이사한 후에 신고하세요."
    flow.review.print()
    assert flow.step is Step.REVIEW and h.printer.jobs == []  # errors block printing
