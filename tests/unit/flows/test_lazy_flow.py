"""The visit's parts are made on first use (start-up time, issue 14), and wiped like before.

``VisitFlow`` makes only the visit, the text entry and staff mode for the welcome screen; the
other parts and the procedure families appear together on the first access to any of them (or by
``warm_up``, which the app calls after the first frame). A reset before that has nothing to wipe.
"""

from __future__ import annotations

import pytest

from kiosk.flows.assembly import Kiosk
from kiosk.flows.core import _VISIT_PARTS
from kiosk.flows.procedures import PROCEDURES
from kiosk.flows.steps import EndReason, Step, TextPurpose
from kiosk.flows.visit import PersonDraft
from kiosk.forms.model import FilingKind
from tests.unit.flows.conftest import Harness


@pytest.fixture
def kiosk(harness: Harness) -> Kiosk:
    return harness.kiosk


def _made(kiosk: Kiosk) -> set[str]:
    return set(vars(kiosk.flow)) & _VISIT_PARTS


def test_the_welcome_screen_needs_no_visit_part(kiosk: Kiosk) -> None:
    flow = kiosk.flow
    assert _made(kiosk) == set()
    # what the welcome screen and the app's timers read
    assert flow.step is Step.WELCOME and not flow.active and not flow.busy
    assert flow.progress is None
    offered = flow.procedures  # (the card procedures by ward setting)
    assert FilingKind.MOVE_IN in offered and offered == tuple(k for k in PROCEDURES if k in offered)
    assert flow.visit.language == flow.settings.default_language
    flow.set_in_service(False)
    assert flow.step is Step.OUT_OF_SERVICE
    flow.set_in_service(True)
    assert flow.step is Step.WELCOME
    flow.reset(EndReason.IDLE)  # nothing to wipe: still nothing made
    assert flow.personal_strings() == []
    assert _made(kiosk) == set()


def test_the_first_use_of_one_part_makes_them_all_wired(kiosk: Kiosk) -> None:
    flow = kiosk.flow
    household = flow.household
    assert _made(kiosk) == _VISIT_PARTS
    assert flow.household is household  # made once
    assert tuple(k for f in flow.families for k in f.kinds) == PROCEDURES
    assert household.dates is flow.dates and household.filer.dates is flow.dates
    assert flow.card_steps.holder_read == flow._holder_read
    with pytest.raises(AttributeError):
        _ = flow.no_such_part  # type: ignore[attr-defined]


def test_a_first_touch_starts_the_visit_without_a_warm_up(kiosk: Kiosk) -> None:
    flow = kiosk.flow
    flow.choose_procedure(FilingKind.MOVE_IN)
    assert flow.step is Step.PLACE_CARD
    assert flow.procedure is not None and FilingKind.MOVE_IN in flow.procedure.kinds
    assert flow.active and flow.progress is not None


def test_warm_up_makes_the_parts_a_visit_then_uses(kiosk: Kiosk) -> None:
    flow = kiosk.flow
    flow.warm_up()
    made = {name: vars(flow)[name] for name in _VISIT_PARTS}
    flow.warm_up()  # once only
    flow.choose_procedure(FilingKind.MOVE_OUT)
    assert {name: vars(flow)[name] for name in _VISIT_PARTS} == made
    assert flow.procedure in made["families"]


def test_reset_wipes_what_the_visit_and_its_parts_held(kiosk: Kiosk) -> None:
    flow = kiosk.flow
    flow.choose_procedure(FilingKind.MOVE_IN)
    flow.visit.members = [PersonDraft(name="山田 太郎", card_address="東京都新宿区西新宿2-8-1")]
    flow.text.ask(TextPurpose.KATAGAKI, "新宿ハイツ302", lambda _v: None, lambda: None)
    assert "山田 太郎" in flow.personal_strings()
    flow.reset(EndReason.CANCELLED)
    assert flow.text.request is None and flow.procedure is None and flow.visit.kind is None
    assert flow.personal_strings() == [] and flow.visit.members == []
    assert flow.card_steps.state.for_member is False
    assert flow.step is Step.WELCOME


def test_a_wiring_that_fails_is_made_again_on_the_next_use(
    kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kiosk.flows.review as review

    real_init = review.ReviewPart.__init__
    calls = {"n": 0}

    def fail_once(self: review.ReviewPart, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("master unreadable")
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(review.ReviewPart, "__init__", fail_once)
    flow = kiosk.flow
    with pytest.raises(RuntimeError, match="master unreadable"):
        flow.address  # noqa: B018  (the first use makes the parts)
    # not an AttributeError on a half-made flow: the next use makes every part
    assert flow.review is not None and flow.address is not None
    assert _made(kiosk) == _VISIT_PARTS
    flow.choose_procedure(FilingKind.MOVE_WITHIN)
    assert flow.step is Step.PLACE_CARD
