"""Issue 12 flow logic without a window: the card-removed pause, step numbers, dates by keypad,
the 受付番号 when the paper failed, whose card is wanted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk.flows.date_entry import DateEntry, DateField, DatePurpose, Era, era_year_span
from kiosk.flows.outcomes import PaperOut
from kiosk.flows.progress import Phase, phase_of, progress
from kiosk.flows.steps import EndReason, Step, TextPurpose
from kiosk.forms.ids import receipt_number, receipt_number_display
from kiosk.forms.model import FilingKind
from kiosk.hardware.printer.memory import PAPER_OUT
from tests.unit.flows.conftest import Harness
from tests.unit.flows.test_parts import FakeNavigator

TODAY = date(2026, 12, 7)


def _at_address(h: Harness) -> None:
    flow = h.kiosk.flow
    h.read_holder(FilingKind.MOVE_WITHIN)
    assert flow.step is Step.ADDRESS


def _clock(h: Harness) -> list[float]:
    now = [100.0]
    h.kiosk.flow.pause.clock = lambda: now[0]
    return now


# ---------------------------------------------------------------------- the card-removed pause


def test_card_taken_off_pauses_and_the_same_card_resumes_where_the_resident_was(
    harness: Harness,
) -> None:
    h, flow = harness, harness.kiosk.flow
    _at_address(h)
    flow.address.pick("新宿")
    now = _clock(h)
    h.take()
    assert flow.step is Step.CARD_REMOVED and flow.personal_strings()  # not wiped yet
    now[0] += flow.settings.card_removed_wipe_s - 1
    flow.pause.tick()
    assert flow.step is Step.CARD_REMOVED and flow.pause.remaining_s() == pytest.approx(1.0)
    h.place("yamada")
    assert flow.step is Step.ADDRESS and not flow.pause.paused
    picker = flow.address.picker
    assert picker is not None and picker.path_text  # kept the town chosen before the pause


def test_another_card_never_resumes_and_the_countdown_wipes_everything(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    ended: list[EndReason] = []
    flow.on_end(ended.append)
    _at_address(h)
    now = _clock(h)
    h.take()
    h.place("takahashi")  # someone else's card: not one of this visit's
    assert flow.step is Step.CARD_REMOVED
    assert flow.pause.state is not None and flow.pause.state.other_card
    before = flow.pause.remaining_s()
    h.take()
    assert flow.pause.remaining_s() == before  # another card bought no time
    now[0] += flow.settings.card_removed_wipe_s
    flow.pause.tick()
    assert flow.step is Step.WELCOME and ended == [EndReason.CARD_REMOVED]
    assert flow.personal_strings() == [] and flow.visit.members == []
    assert flow.visit.auth_certificate == b"" and not flow.pause.paused
    assert flow.pause._known == set()  # the visit's card certificates are gone too


def test_card_swaps_of_the_household_keep_the_visit(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _at_address(h)
    flow.household.open(offers_join=False, done=lambda: None)
    h.take()  # the holder takes the card off to let the next member place theirs
    assert flow.step is Step.HOUSEHOLD
    h.place("sato")
    assert flow.step is Step.PIN and flow.card_steps.state.person == 2
    h.take()  # the member changes their mind at the PIN: asked for that card again
    assert flow.step is Step.PLACE_CARD and flow.card_steps.state.for_member
    assert flow.personal_strings()  # the visit goes on
    h.place("sato")
    flow.card_steps.submit_pin("9012")
    h.settle()
    assert flow.step in (Step.HOUSEHOLD, Step.MEMBER_DETAILS) and len(flow.visit.members) == 2
    flow.household.show()
    h.take()
    flow.household.add_member_by_hand()  # typing a member's name: still the household step
    h.place("yamada")
    h.take()
    assert flow.step is Step.TEXT_ENTRY


def test_a_member_card_read_in_the_visit_also_resumes(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _at_address(h)
    flow.household.open(offers_join=False, done=lambda: None)
    h.take()
    h.place("sato")
    flow.card_steps.submit_pin("9012")
    h.settle()
    flow.household.show()
    flow.go(Step.REVIEW)  # wherever the member's card still lies on the reader
    h.take()
    assert flow.step is Step.CARD_REMOVED
    h.place("sato")
    assert flow.step is Step.REVIEW


def test_card_removal_setting_off_ignores_the_card(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    flow.settings.card_removal_ends_visit = False
    _at_address(h)
    h.take()
    assert flow.step is Step.ADDRESS


# ---------------------------------------------------------------------- step numbers


def test_step_numbers_follow_the_procedure() -> None:
    assert progress(FilingKind.MOVE_WITHIN, Phase.CARD) is not None
    within = [progress(FilingKind.MOVE_WITHIN, p) for p in Phase if p is not Phase.NEWCOMER]
    assert [(p.number, p.total) for p in within if p] == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    move_in = progress(FilingKind.MOVE_IN, Phase.NEWCOMER)
    assert move_in is not None and (move_in.number, move_in.total) == (4, 6)
    change = progress(FilingKind.HEAD_CHANGE, Phase.HOUSEHOLD)
    assert change is not None and (change.number, change.total) == (2, 4)
    # a date in 世帯変更 (no address stage) counts as the stage it happens in
    dated = progress(FilingKind.HEAD_CHANGE, Phase.PLACE)
    assert dated is not None and dated.number == 1
    assert progress(None, Phase.CARD) is None


def test_shared_steps_take_the_phase_of_what_they_ask() -> None:
    assert phase_of(Step.TEXT_ENTRY, text=TextPurpose.KATAGAKI) is Phase.PLACE
    assert phase_of(Step.TEXT_ENTRY, text=TextPurpose.MEMBER_NAME) is Phase.HOUSEHOLD
    assert phase_of(Step.TEXT_ENTRY, text=TextPurpose.STAFF_PIN) is None
    assert phase_of(Step.DATE_ENTRY, date=DatePurpose.BIRTH) is Phase.HOUSEHOLD
    assert phase_of(Step.DATE_ENTRY, date=DatePurpose.MOVED_ON) is Phase.PLACE
    assert phase_of(Step.PIN) is Phase.CARD
    assert phase_of(Step.PIN, for_member=True) is Phase.HOUSEHOLD
    assert phase_of(Step.WELCOME) is None and phase_of(Step.CARD_REMOVED) is None


def test_visit_progress_on_the_headless_kiosk(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    assert flow.progress is None  # welcome
    h.read_holder(FilingKind.MOVE_WITHIN)
    assert flow.progress is not None and (flow.progress.number, flow.progress.total) == (2, 5)
    flow.household.open(offers_join=False, done=lambda: None)
    assert flow.progress is not None and flow.progress.number == 3


# ---------------------------------------------------------------------- dates by keypad


def _pad() -> tuple[DateEntry, list[date]]:
    nav, got = FakeNavigator(), []
    dates = DateEntry(nav, lambda: TODAY)
    dates.ask(DatePurpose.BIRTH, None, got.append, lambda: None)
    return dates, got


def test_a_1948_birth_date_in_western_years_is_seven_keys_and_ok() -> None:
    dates, got = _pad()
    request = dates.request
    assert request is not None and request.year == "" and request.field is DateField.YEAR
    for key in "1948512":  # month 5 moves on by itself (no month 5x), then the day
        dates.press(key)
    dates.done()
    assert got == [date(1948, 5, 12)]


def test_a_1948_birth_date_in_showa_years() -> None:
    dates, got = _pad()
    dates.set_era(Era.SHOWA)
    for key in "23" + "12" + "3":  # 昭和23年12月3日: day 3 may still take a digit
        dates.press(key)
    assert dates.request is not None and dates.request.value == date(1948, 12, 3)
    dates.done()
    assert got == [date(1948, 12, 3)]


def test_era_years_outside_the_era_are_no_date() -> None:
    dates, _got = _pad()
    dates.set_era(Era.SHOWA)
    for key in "64" + "2" + "1":  # 昭和64年2月1日 never existed (平成 from 1月8日)
        dates.press(key)
    assert dates.request is not None and dates.request.value is None
    dates.set_era(Era.HEISEI)
    dates.press("1")  # 平成1 … the year moves on? no: 平成 has 31 years, "1" may go on
    assert dates.request.field is DateField.YEAR
    dates.press("4")  # 平成14
    assert dates.request.field is DateField.MONTH


def test_an_era_year_moves_on_when_no_second_digit_fits() -> None:
    dates, _got = _pad()
    dates.set_era(Era.TAISHO)  # 15 years: "2" cannot start a 2-digit 大正 year
    dates.press("2")
    assert dates.request is not None and dates.request.field is DateField.MONTH
    assert era_year_span(Era.REIWA, TODAY) == 8


def test_switching_era_shows_the_typed_date_in_it() -> None:
    dates, _got = _pad()
    for key in "1948512":
        dates.press(key)
    dates.set_era(Era.SHOWA)
    request = dates.request
    assert request is not None and request.era is Era.SHOWA and request.year == "23"
    assert request.value == date(1948, 5, 12)
    dates.set_era(Era.HEISEI)  # 1948 is not 平成: the year is asked again
    assert request.year == "" and request.value is None


# ---------------------------------------------------------------------- no paper, still a number


def test_without_paper_the_done_step_carries_the_receipt_number_and_qr(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _at_address(h)
    for key in ("新宿", "0020003", "5", "2"):  # a house: the 号 ends the address
        flow.address.pick(key)
    flow.household.done()
    assert flow.step is Step.REVIEW
    filing = flow.review.state.filing
    assert filing is not None
    h.printer.set_state(PAPER_OUT)
    flow.review.print()
    h.settle()
    assert flow.step is Step.PRINT_PROBLEM
    assert isinstance(flow.printing.state.problem, PaperOut)
    flow.printing.without_paper()
    state = flow.printing.state
    assert flow.step is Step.DONE and state.no_paper
    assert state.receipt_number == receipt_number_display(receipt_number(filing.id))
    assert state.qr_text == filing.id  # in the outbox: the QR can be shown
    flow.finish()
    assert flow.printing.state.receipt_number == "" and flow.printing.state.qr_text == ""


# ---------------------------------------------------------------------- the setting


def test_the_pause_length_is_a_kiosk_setting_with_a_sane_range() -> None:
    from kiosk.config import load_config
    from kiosk.tech.settings import ConfigInvalidError, validate_config

    assert load_config(Path("/nonexistent"), environ={}).card_removed_wipe_s == 30.0
    ok = validate_config({"kiosk": {"card_removed_wipe_s": 45}}, "kiosk.toml")
    assert ok.kiosk.card_removed_wipe_s == 45.0
    with pytest.raises(ConfigInvalidError) as err:
        validate_config({"kiosk": {"card_removed_wipe_s": 600}}, "kiosk.toml")
    assert err.value.key == "[kiosk] card_removed_wipe_s"
