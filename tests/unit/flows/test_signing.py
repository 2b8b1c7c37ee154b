"""The card signature asks for its own PIN (利用者証明用): whose card, tries, last try, skip.

Played on the headless kiosk with simulated cards: what is asserted is what the card saw (VERIFY
commands, tries left) and what reached the outbox (signed or not).
"""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.flows.steps import SignNotice, Step
from kiosk.forms.model import FilingKind
from kiosk.hardware.card.jpki import PIN_AUTH
from kiosk.hardware.card.sim import SimulatedCard
from kiosk.hardware.card.sim.constants import App
from kiosk.hardware.card.sim.identity import resolve
from server_sync.devicekey import load_or_create_outbox_key
from server_sync.envelope import parse_envelope, verify_resident_signature
from server_sync.outbox import Outbox
from tests.unit.flows.conftest import Harness

#: the instruction byte of VERIFY (ISO 7816-4)
INS_VERIFY = 0x20
#: CLA INS P1 P2: a command this long carries no data
CASE1_LENGTH = 4
#: the test card's PIN for reading the card (券面事項入力補助) and its different 利用者証明用 PIN
TEXT_PIN, AUTH_PIN = "1234", "5678"


def _card_file(tmp_path: Path, *, auth_tries: int = 3) -> str:
    raw = json.loads(Path(resolve("yamada")).read_text(encoding="utf-8"))
    raw["pins"] = {**raw["pins"], "text": TEXT_PIN, "auth": AUTH_PIN}
    raw["tries_left"] = {**raw["tries_left"], "auth": auth_tries}
    path = tmp_path / "two_pins.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _verifies(card: SimulatedCard) -> int:
    """VERIFY commands carrying a PIN (a VERIFY without data only asks for the tries left)."""
    return sum(1 for apdu in card.commands if len(apdu) > CASE1_LENGTH and apdu[1] == INS_VERIFY)


def _envelopes(h: Harness) -> list[bytes]:
    sync = h.kiosk.sync
    with Outbox.open(sync.outbox_path, load_or_create_outbox_key(sync.outbox_key_path)) as box:
        out = []
        while (msg := box.claim(due_only=False)) is not None:
            out.append(msg.envelope)
        return out


def _to_review(h: Harness, card: str) -> SimulatedCard:
    flow = h.kiosk.flow
    flow.start()
    flow.choose_procedure(FilingKind.MOVE_WITHIN)
    placed = h.place(card)
    flow.card_steps.submit_pin(TEXT_PIN)
    h.settle()
    h.pick_address()
    flow.household.done()
    assert flow.step is Step.REVIEW and flow.review.state.errors == []
    return placed


def test_the_signature_asks_its_own_pin_and_never_reuses_the_reading_pin(
    harness: Harness, tmp_path: Path
) -> None:
    h, flow = harness, harness.kiosk.flow
    card = _to_review(h, _card_file(tmp_path))
    card.clear_log()
    flow.review.print(sign=True)
    h.settle()
    assert flow.step is Step.SIGN_PIN and _verifies(card) == 0  # nothing sent before the PIN
    assert flow.signing.state.tries_left == 3 and flow.signing.ready
    assert flow.signing.holder_name == "山田　太郎"  # whose card must lie on the reader
    flow.signing.submit_pin(TEXT_PIN)  # the other PIN: one VERIFY, wrong, shown, not re-sent
    h.settle()
    assert flow.step is Step.SIGN_PIN and _verifies(card) == 1
    assert flow.signing.state.notice is SignNotice.WRONG_PIN
    assert flow.signing.state.tries_left == 2 == card.pin(App.JPKI, PIN_AUTH).tries_left
    assert _envelopes(h) == []
    flow.signing.submit_pin(AUTH_PIN)
    h.settle()
    assert flow.step is Step.DONE and _verifies(card) == 2
    (envelope,) = _envelopes(h)
    assert verify_resident_signature(parse_envelope(envelope)) is not None


def test_another_members_card_gets_no_verify(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _to_review(h, "yamada")
    other = h.card("takahashi")  # another person's card (its auth PIN is 5678 too)
    h.reader.remove()  # swapped between two presence polls (e.g. a family member's card)
    h.reader.insert(other)
    flow.review.print(sign=True)
    h.settle()
    assert flow.step is Step.SIGN_PIN
    assert flow.signing.state.notice is SignNotice.OTHER_CARD and not flow.signing.ready
    flow.signing.submit_pin(AUTH_PIN)  # no keypad shown; even if called: nothing sent
    h.settle()
    assert _verifies(other) == 0 and other.pin(App.JPKI, PIN_AUTH).tries_left == 3
    h.take()
    assert flow.step is Step.SIGN_PIN  # taking a card off here does not end the visit
    h.place("yamada")  # the holder's own card: the keypad now
    assert flow.signing.ready and flow.signing.state.notice is SignNotice.NONE


def test_last_try_is_confirmed_and_skip_files_unsigned(harness: Harness, tmp_path: Path) -> None:
    h, flow = harness, harness.kiosk.flow
    card = _to_review(h, _card_file(tmp_path, auth_tries=1))
    card.clear_log()
    flow.review.print(sign=True)
    h.settle()
    assert flow.step is Step.SIGN_LAST_TRY and not flow.signing.ready
    flow.signing.confirm_last_try()
    assert flow.step is Step.SIGN_PIN and flow.signing.ready
    flow.signing.skip()  # the resident would rather not risk it
    h.settle()
    assert flow.step is Step.DONE and _verifies(card) == 0
    (envelope,) = _envelopes(h)
    assert verify_resident_signature(parse_envelope(envelope)) is None  # "本人署名なし"


def test_unconfirmed_last_try_is_never_spent_by_the_card_service(
    harness: Harness, tmp_path: Path
) -> None:
    h, flow = harness, harness.kiosk.flow
    card = _to_review(h, _card_file(tmp_path, auth_tries=1))
    results: list[object] = []
    filing = flow.review.state.filing
    assert filing is not None
    card.clear_log()
    flow.card.sign(AUTH_PIN, b"x", flow.visit.auth_certificate, results.append)
    h.settle(lambda: results)
    h.ui.pump(lambda: bool(results), 20)
    assert [type(r).__name__ for r in results] == ["SigningSkipped"] and _verifies(card) == 0
