"""Recognition by SELECT + token (never by ATR), the 20-APDU budget, and certificate verdicts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.hardware.card import apdu
from kiosk.hardware.card.errors import NotMyNumberCardError
from kiosk.hardware.card.integrity import IntegrityResult
from kiosk.hardware.card.my_number_card import MyNumberCard
from kiosk.hardware.card.sim import App, GenericCard, Identity, TestPki, example_path
from kiosk.hardware.card.sim import constants as c
from kiosk.hardware.card.trust import ChainResult, TrustStore
from tests.contract.card.conftest import Rig

MakeRig = Callable[..., Rig]
READ_BUDGET = 20
PINS = {"yamada": "1234", "sato": "9012", "takahashi": "5678", "smith": "2468"}
CONTACTLESS_ATR = bytes.fromhex("3B8880010000000000E0B381A1007F")  # not in any ATR table
UNKNOWN_ATR = bytes.fromhex("3B8F8001804F0CA000000306030001000000006A")


@pytest.mark.parametrize(
    "atr", [c.ATR_CONTACT, CONTACTLESS_ATR, UNKNOWN_ATR], ids=["jpki", "contactless", "unknown"]
)
def test_a_my_number_card_is_recognised_whatever_its_atr(make_rig: MakeRig, atr: bytes) -> None:
    rig = make_rig("yamada", atr=atr)
    assert rig.run(MyNumberCard.pin_status).text_pin_tries == 3
    assert rig.card.commands[0] == apdu.select_df(c.AID_JPKI)


def test_a_card_with_the_jpki_atr_but_no_jpki_ap_is_not_recognised(make_rig: MakeRig) -> None:
    rig = make_rig(card_class=GenericCard, atr=c.ATR_CONTACT)
    with pytest.raises(NotMyNumberCardError):
        rig.run(MyNumberCard.pin_status)
    assert [cmd[1] for cmd in rig.card.commands] == [0xA4]  # one SELECT, nothing more


@pytest.mark.parametrize(
    ("identity", "expected"), [("yamada", 19), ("sato", 19), ("takahashi", 20), ("smith", 20)]
)
def test_the_whole_read_takes_at_most_20_short_apdus(
    make_rig: MakeRig, trust: TrustStore, identity: str, expected: int
) -> None:
    rig = make_rig(identity)
    record = rig.run(lambda card: card.read_resident(PINS[identity], trust))
    assert record.integrity is IntegrityResult.VERIFIED
    commands = rig.card.commands
    assert len(commands) == expected <= READ_BUDGET
    for cmd in commands:
        apdu.split(cmd)  # raises on extended length: every command is a short APDU
    # only the token EF is read by short EF id; every other EF is selected explicitly
    short_reads = [cmd for cmd in commands if cmd[1] == 0xB0 and cmd[2] & 0x80]
    assert short_reads == [bytes.fromhex("00B0860020")]


def test_a_card_without_short_ef_ids_is_still_read(make_rig: MakeRig, trust: TrustStore) -> None:
    rig = make_rig("smith", short_ef_ids=False)
    record = rig.run(lambda card: card.read_resident("2468", trust))
    assert record.basic_four.name == rig.card.identity.name
    assert record.integrity is IntegrityResult.VERIFIED
    assert rig.card.apdu_count == 22  # the explicit token check costs two more APDUs
    assert rig.card.transcript[1][1] == b"\x6a\x86"


@pytest.fixture(scope="module")
def expired_identity(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = json.loads(example_path("yamada").read_text(encoding="utf-8"))
    raw.update(id="expired_cert", cert_valid_from="2019-04-01", cert_valid_until="2024-03-31")
    path = tmp_path_factory.mktemp("identities") / "expired_cert.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    Identity.load(path)
    return path


def test_an_expired_auth_certificate_is_untrusted(
    make_rig: MakeRig, trust: TrustStore, expired_identity: Path
) -> None:
    rig = make_rig(str(expired_identity))
    record = rig.run(lambda card: card.read_resident("1234", trust))
    assert record.auth_certificate.not_after == dt.date(2024, 3, 31)
    assert record.auth_certificate.chain is ChainResult.UNTRUSTED
    assert record.integrity is IntegrityResult.VERIFIED  # the 基本4情報 are fine


def test_a_certificate_read_later_than_its_validity_is_untrusted(
    make_rig: MakeRig, trust: TrustStore
) -> None:
    rig = make_rig("yamada")
    later = dt.datetime(2031, 1, 1, tzinfo=dt.UTC)
    record = rig.run(lambda card: card.read_auth_certificate(trust, at=later))
    assert record.chain is ChainResult.UNTRUSTED


def test_anchors_of_another_pki_give_untrusted_and_failed(
    make_rig: MakeRig, tmp_path: Path
) -> None:
    impostor = TestPki("impostor-pki-1")  # same root names, other keys
    foreign = TrustStore.load(impostor.write_trust_dir(tmp_path))
    assert foreign.roots[0].subject == TestPki.shared().auth_root.subject
    rig = make_rig("yamada")
    record = rig.run(lambda card: card.read_resident("1234", foreign))
    assert record.auth_certificate.chain is ChainResult.UNTRUSTED
    assert record.integrity is IntegrityResult.FAILED
    # same names, so roots are told apart by signature; the card's copy (EF 000B) is not consulted
    assert (App.JPKI, c.EF_JPKI_AUTH_CA) not in set(rig.card.files_read)


def test_a_root_of_another_name_is_untrusted_without_reading_the_cards_root(
    make_rig: MakeRig, trust: TrustStore
) -> None:
    sign_root_only = TrustStore(
        roots=tuple(r for r in trust.roots if r.subject != TestPki.shared().auth_root.subject)
    )
    assert len(sign_root_only.roots) == 1
    rig = make_rig("yamada")
    record = rig.run(lambda card: card.read_resident("1234", sign_root_only))
    assert record.auth_certificate.chain is ChainResult.UNTRUSTED
    assert not rig.card.was_selected(App.JPKI, c.EF_JPKI_AUTH_CA)
    assert rig.card.apdu_count == 19
