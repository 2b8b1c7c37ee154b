"""転出 abroad (the one-year question), the 方書 choice on the 号 level, the 届出人 on every review.

Real parts over the sample master and the simulated card (no mocks): the answers are asserted in
the filing the review would print.
"""

from __future__ import annotations

from kiosk.flows.abroad import AbroadStage
from kiosk.flows.steps import EditTarget, Step, TextPurpose
from kiosk.forms.codec import filing_to_dict
from kiosk.forms.model import FilingKind, Standing
from tests.unit.flows.conftest import Harness


def _move_out_abroad(h: Harness) -> None:
    flow = h.kiosk.flow
    flow.start()
    flow.choose_procedure(FilingKind.MOVE_OUT)
    h.place("yamada")
    flow.card_steps.submit_pin("1234")
    h.settle()
    assert flow.step is Step.MOVE_ABROAD and flow.abroad.stage is AbroadStage.WHERE
    flow.abroad.answer(True)
    assert flow.text.request is not None and flow.text.request.purpose is TextPurpose.COUNTRY
    flow.text.done("")  # the country is required abroad: asked again
    assert flow.text.request is not None and flow.text.request.purpose is TextPurpose.COUNTRY
    flow.text.done("ベトナム")
    assert flow.text.request is not None
    assert flow.text.request.purpose is TextPurpose.DESTINATION
    flow.text.done("ハノイ")


def test_move_out_abroad_asks_the_year_and_files_it(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _move_out_abroad(h)
    assert flow.step is Step.MOVE_ABROAD and flow.abroad.stage is AbroadStage.YEAR
    flow.abroad.answer(True)
    assert flow.step is Step.HOUSEHOLD
    flow.household.done()
    assert flow.step is Step.REVIEW
    filing = flow.review.state.filing
    assert filing is not None and filing.abroad_for_one_year_or_more is True
    assert filing.new_address.country == "ベトナム"
    written = filing_to_dict(filing)
    assert written["abroad_for_one_year_or_more"] is True
    assert "ベトナム" in flow.personal_strings() and "ハノイ" in flow.personal_strings()
    # from the review: now within Japan after all → the year answer and the country are gone
    flow.review.edit(EditTarget.ADDRESS)
    assert flow.step is Step.MOVE_ABROAD and flow.abroad.current is True  # marked, not taken
    flow.abroad.answer(False)
    flow.text.done("オオサカフ オオサカシ")
    assert flow.step is Step.REVIEW
    filing = flow.review.state.filing
    assert filing is not None and filing.abroad_for_one_year_or_more is None
    assert filing.new_address.country == ""
    assert "abroad_for_one_year_or_more" not in filing_to_dict(filing)
    flow.cancel()
    assert flow.personal_strings() == []


def test_move_out_in_japan_never_asks_the_year(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.MOVE_OUT)  # answers "in Japan"
    flow.text.done("オオサカフ オオサカシ キタク 1-2-3")
    assert flow.step is Step.HOUSEHOLD
    flow.household.done()
    filing = flow.review.state.filing
    assert filing is not None and filing.abroad_for_one_year_or_more is None


def test_a_house_ends_the_address_on_the_house_number_level(harness: Harness) -> None:
    """The 方書 choice on the 号 level: left off, the 号 completes the address (no keyboard)."""
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.MOVE_WITHIN)
    for key in ("新宿", "0020003", "5"):
        flow.address.pick(key)
    assert not flow.address.has_building
    flow.address.pick("4")
    assert flow.step is Step.HOUSEHOLD and flow.text.request is None
    flow.household.done()
    filing = flow.review.state.filing
    assert filing is not None and filing.new_address.katagaki == ""
    # changing the address later keeps a 方書 given from the review's "building" button
    flow.review.edit(EditTarget.KATAGAKI)
    flow.text.done("サンパレス新宿 101")
    flow.review.edit(EditTarget.ADDRESS)
    assert flow.address.has_building  # the earlier 方書: the choice stays on


def test_filer_is_changed_from_the_review_of_every_procedure(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    h.read_holder(FilingKind.HOUSEHOLD_RESTRUCTURE)
    flow.household.changes.choose_kind(FilingKind.HEAD_CHANGE)
    flow.household.done()
    if flow.step is Step.PREVIOUS_HEAD:
        flow.household.changes.choose_member(0)
    assert flow.step is Step.REVIEW
    flow.review.edit(EditTarget.FILER)
    assert flow.step is Step.FILER
    flow.household.filer.choose_outside(Standing.HOUSEHOLD_MEMBER)
    flow.text.done("ヤマダ ハナコ")
    assert flow.step is Step.REVIEW  # straight back to the review
    filing = flow.review.state.filing
    assert filing is not None
    assert (
        filing.filer.standing is Standing.HOUSEHOLD_MEMBER and filing.filer.name == "ヤマダ ハナコ"
    )
    flow.review.edit(EditTarget.CHANGE_KIND)
    assert flow.step is Step.CHANGE_KIND  # the kind, never an address picker
