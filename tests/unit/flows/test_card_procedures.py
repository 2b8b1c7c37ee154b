"""The card procedures on the headless kiosk: 印鑑登録証 (ward setting) and 本籍地利用登録.

What is asserted is what a resident sees (the offered procedures, the step, the refusal) and what
reached the card (VERIFY commands, the 利用者証明用 tries) and the outbox (the signed request, its
certificate serial, never a PIN).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from cryptography import x509

from kiosk.flows.procedures.card import CardNotice
from kiosk.flows.steps import SignNotice, Step
from kiosk.forms.codec import filing_from_json
from kiosk.forms.model import FilingKind, Honseki
from kiosk.hardware.card.jpki import PIN_AUTH
from kiosk.hardware.card.sim import SimulatedCard
from kiosk.hardware.card.sim.constants import App
from kiosk.hardware.card.sim.identity import resolve
from server_sync.devicekey import load_or_create_outbox_key
from server_sync.envelope import parse_envelope, verify_resident_signature
from server_sync.outbox import Outbox
from tests.unit.flows.conftest import Harness

INS_VERIFY = 0x20
CASE1_LENGTH = 4
TEXT_PIN, AUTH_PIN = "3690", "1470"  # kato_yokohama: the two PINs differ
KATO = str(Path(__file__).resolve().parents[3] / "examples/visits/cards/kato_yokohama.json")
SEAL = FilingKind.SEAL_CARD_BINDING
HONSEKI = FilingKind.HONSEKI_CONVENIENCE_REGISTRATION


def _verifies(card: SimulatedCard) -> int:
    return sum(1 for apdu in card.commands if len(apdu) > CASE1_LENGTH and apdu[1] == INS_VERIFY)


def _envelopes(h: Harness) -> list[bytes]:
    sync = h.kiosk.sync
    with Outbox.open(sync.outbox_path, load_or_create_outbox_key(sync.outbox_key_path)) as box:
        out = []
        while (msg := box.claim(due_only=False)) is not None:
            out.append(msg.envelope)
        return out


def _card_file(tmp_path: Path, name: str, **changes: object) -> str:
    raw = json.loads(Path(name).read_text(encoding="utf-8"))
    raw.update(changes)
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _read(h: Harness, kind: FilingKind, card: str, pin: str = TEXT_PIN) -> SimulatedCard:
    flow = h.kiosk.flow
    flow.start()
    flow.choose_procedure(kind)
    placed = h.place(card)
    flow.card_steps.submit_pin(pin)
    h.settle()
    return placed


def test_default_settings_offer_honseki_but_never_the_seal_binding(harness: Harness) -> None:
    flow = harness.kiosk.flow
    assert HONSEKI in flow.procedures and SEAL not in flow.procedures
    flow.start()
    flow.choose_procedure(SEAL)  # not offered: nothing starts
    assert flow.step is Step.PROCEDURE and flow.visit.kind is None
    flow.settings.seal_card_binding_enabled = True
    flow.settings.honseki_registration_enabled = False
    assert SEAL in flow.procedures and HONSEKI not in flow.procedures


def test_seal_binding_is_signed_with_its_own_pin_and_queued_with_the_serial(
    harness: Harness,
) -> None:
    h, flow = harness, harness.kiosk.flow
    flow.settings.seal_card_binding_enabled = True
    card = _read(h, SEAL, KATO)
    assert flow.step is Step.CARD_REQUEST
    procedure = flow.procedure
    assert procedure is not None and procedure.notice is CardNotice.SEAL_QUESTION  # type: ignore[attr-defined]
    procedure.answer_seal(True)  # type: ignore[attr-defined]
    assert flow.step is Step.CARD_REVIEW and flow.review.state.errors == []
    filing = flow.review.state.filing
    assert filing is not None and filing.kind is SEAL and filing.seal_card is not None
    card.clear_log()
    flow.review.print(sign=True)
    h.settle()
    assert flow.step is Step.SIGN_PIN and _verifies(card) == 0 and flow.signing.state.required
    flow.signing.skip()  # no skip for a card procedure: nothing happens
    assert flow.step is Step.SIGN_PIN and _envelopes(h) == []
    flow.signing.submit_pin(TEXT_PIN)  # the PIN that read the card is not the signing PIN
    h.settle()
    assert flow.signing.state.notice is SignNotice.WRONG_PIN and _verifies(card) == 1
    assert card.pin(App.JPKI, PIN_AUTH).tries_left == 2 == flow.signing.state.tries_left
    flow.signing.submit_pin(AUTH_PIN)
    h.settle()
    assert flow.step is Step.DONE and _verifies(card) == 2
    (raw,) = _envelopes(h)
    envelope = parse_envelope(raw)
    cert = verify_resident_signature(envelope)
    assert cert is not None
    queued = filing_from_json(envelope.filing)
    assert queued.kind is SEAL and queued.card_certificate is not None
    assert queued.card_certificate.serial == format(cert.serial_number, "x")
    # a PIN as a value of its own (not four digits inside a timestamp or a UUID group)
    stored = envelope.filing.decode()
    assert not re.search(rf"(?<![0-9a-f-])({AUTH_PIN}|{TEXT_PIN})(?![0-9a-f-])", stored)
    assert len(h.printer.jobs) == 1


def test_seal_not_registered_and_too_young_are_kind_refusals(
    harness: Harness, tmp_path: Path
) -> None:
    h, flow = harness, harness.kiosk.flow
    flow.settings.seal_card_binding_enabled = True
    _read(h, SEAL, KATO)
    flow.procedure.answer_seal(False)  # type: ignore[union-attr]
    assert flow.step is Step.CARD_REQUEST
    assert flow.procedure.notice is CardNotice.SEAL_NOT_REGISTERED  # type: ignore[union-attr]
    flow.cancel()
    h.take()
    young = _card_file(tmp_path, KATO, birth_date="2013-01-10")
    card = _read(h, SEAL, young)
    assert flow.procedure.notice is CardNotice.TOO_YOUNG  # type: ignore[union-attr]
    assert flow.step is Step.CARD_REQUEST and _envelopes(h) == []
    assert card.pin(App.JPKI, PIN_AUTH).tries_left == 3  # never asked


def test_honseki_registration_asks_nationality_and_honseki_then_signs(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _read(h, HONSEKI, KATO)
    assert flow.step is Step.NATIONALITY
    flow.newcomer.set_japanese(True)
    assert flow.step is Step.HONSEKI and flow.newcomer.honseki_required
    flow.newcomer.honseki_unknown()  # not offered: 本籍 is required
    assert flow.step is Step.HONSEKI
    flow.newcomer.honseki_free()  # the whole 本籍 typed (the place list is the newcomer's)
    flow.text.done("神奈川県横浜市中区港町一丁目1番地")
    flow.text.done("加藤　健一")
    flow.text.done("カトウ ケンイチ")  # the card holds no reading
    assert flow.step is Step.CARD_REVIEW and flow.review.state.errors == []
    flow.review.print(sign=True)
    h.settle()
    flow.signing.submit_pin(AUTH_PIN)
    h.settle()
    assert flow.step is Step.DONE
    (raw,) = _envelopes(h)
    queued = filing_from_json(parse_envelope(raw).filing)
    assert queued.kind is HONSEKI
    assert queued.members[0].honseki == Honseki("神奈川県横浜市中区港町一丁目1番地", "加藤　健一")
    assert queued.new_address.display() == "" and queued.household.origin is None


def test_honseki_registration_refuses_another_nationality(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _read(h, HONSEKI, KATO)
    flow.newcomer.set_japanese(False)
    assert flow.step is Step.CARD_REQUEST
    assert flow.procedure.notice is CardNotice.NOT_JAPANESE  # type: ignore[union-attr]
    flow.procedure.back()  # type: ignore[union-attr]
    assert flow.step is Step.NATIONALITY


def test_locked_auth_pin_offers_no_way_round_the_signature(
    harness: Harness, tmp_path: Path
) -> None:
    h, flow = harness, harness.kiosk.flow
    flow.settings.seal_card_binding_enabled = True
    locked = _card_file(tmp_path, KATO, tries_left={"text": 3, "auth": 0, "sign": 5})
    _read(h, SEAL, locked)
    flow.procedure.answer_seal(True)  # type: ignore[union-attr]
    flow.review.print(sign=True)
    h.settle()
    assert flow.step is Step.SIGN_PIN and flow.signing.state.notice is SignNotice.LOCKED
    flow.signing.skip()
    assert flow.step is Step.SIGN_PIN and _envelopes(h) == []
    flow.printing.print_filing(flow.review.state.filing)  # unsigned: refused for a card kind
    assert _envelopes(h) == []


def test_certificate_summary_matches_the_card() -> None:
    from kiosk.flows.procedures.card import certificate_summary
    from kiosk.hardware.card.sim import Identity, TestPki

    der = TestPki.shared().card(Identity.load(resolve("yamada"))).auth_cert_der
    summary = certificate_summary(der)
    cert = x509.load_der_x509_certificate(der)
    assert summary is not None and summary.serial == format(cert.serial_number, "x")
    assert summary.not_after == cert.not_valid_after_utc.date()
    assert "JPKI" in summary.issuer
    assert certificate_summary(b"not a certificate") is None
