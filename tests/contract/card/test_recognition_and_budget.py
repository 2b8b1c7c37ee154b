"""Recognition by SELECT + token (never by ATR), the 16/20-APDU budgets, certificate verdicts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.hardware.card import apdu, tlv
from kiosk.hardware.card.errors import NotMyNumberCardError
from kiosk.hardware.card.integrity import IntegrityResult
from kiosk.hardware.card.my_number_card import MyNumberCard
from kiosk.hardware.card.sim import App, GenericCard, Identity, TestPki, example_path
from kiosk.hardware.card.sim import constants as c
from kiosk.hardware.card.sim.filesystem import BinaryFile
from kiosk.hardware.card.sim.identity import BASIC4_MAX_OBJECT_BYTES
from kiosk.hardware.card.sim.worst_case import WORST_CERT_BYTES, worst_case_card
from kiosk.hardware.card.trust import ChainResult, TrustStore
from tests.contract.card.conftest import Rig

MakeRig = Callable[..., Rig]
READ_BUDGET = 16  # with the J-LIS certificate cached (issue 14)
COLD_BUDGET = 20  # the first card of a key id: EF 0004 read too
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


def assert_no_byte_read_twice(ranges: list[tuple[App, int, int, int]]) -> None:
    """No file is read twice: the READ BINARY ranges of each EF do not overlap."""
    seen: dict[tuple[App, int], set[int]] = {}
    for app, fid, offset, length in ranges:
        got = set(range(offset, offset + length))
        already = seen.setdefault((app, fid), set())
        assert not already & got, f"{app} EF {fid:04X} bytes read twice"
        already |= got


def _short_ef_id_reads(commands: list[bytes]) -> list[bytes]:
    return [cmd for cmd in commands if cmd[1] == 0xB0 and cmd[2] & 0x80]


@pytest.mark.parametrize(
    ("identity", "cold", "warm"),
    [("yamada", 18, 14), ("sato", 18, 14), ("takahashi", 20, 16), ("smith", 20, 16)],
)
def test_the_whole_read_takes_at_most_16_short_apdus_once_the_jlis_certificate_is_cached(
    make_rig: MakeRig,
    trust: TrustStore,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    identity: str,
    cold: int,
    warm: int,
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    monkeypatch.setenv("KIOSK_STATE_DIR", str(state))  # the reader's default cache location
    rig = make_rig(identity)
    record = rig.run(lambda card: card.read_resident(PINS[identity], trust))
    assert record.integrity is IntegrityResult.VERIFIED
    assert len(rig.card.commands) == cold <= COLD_BUDGET
    assert (App.TEXT, c.EF_TEXT_CV_CERT) in rig.card.files_read
    rig.card.clear_log()
    record = rig.run(lambda card: card.read_resident(PINS[identity], trust))
    assert record.integrity is IntegrityResult.VERIFIED
    commands = rig.card.commands
    assert len(commands) == warm <= READ_BUDGET
    assert (App.TEXT, c.EF_TEXT_CV_CERT) not in rig.card.files_read  # the cached signer
    for cmd in commands:
        apdu.split(cmd)  # raises on extended length: every command is a short APDU
    assert_no_byte_read_twice(rig.card.read_ranges)
    # short EF ids: the token, then the first chunk of EF 0002 and EF 0003 (§2.3, offset 0)
    assert _short_ef_id_reads(commands) == [
        bytes.fromhex("00B0860020"),
        bytes.fromhex("00B0820000"),
        bytes.fromhex("00B0830000"),
    ]


def test_the_worst_case_card_stays_within_20_cold_and_16_warm(
    make_rig: MakeRig, trust: TrustStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    monkeypatch.setenv("KIOSK_STATE_DIR", str(state))
    rig = make_rig(card_class=worst_case_card)
    ef_basic = rig.card.apps[App.TEXT].files[c.EF_TEXT_BASIC4]
    ef_cert = rig.card.apps[App.JPKI].files[c.EF_JPKI_AUTH_CERT]
    assert isinstance(ef_basic, BinaryFile) and isinstance(ef_cert, BinaryFile)
    assert ef_basic.content[2] == 0x82  # long-form length of the FF20 object
    assert tlv.object_size(ef_basic.content) == BASIC4_MAX_OBJECT_BYTES
    assert tlv.object_size(ef_cert.content) == WORST_CERT_BYTES
    counts = []
    for _ in range(2):
        rig.card.clear_log()
        record = rig.run(lambda card: card.read_resident("5678", trust))
        assert record.integrity is IntegrityResult.VERIFIED
        assert record.auth_certificate.chain is ChainResult.TRUSTED
        assert record.basic_four.address == rig.card.identity.address
        assert_no_byte_read_twice(rig.card.read_ranges)
        counts.append(rig.card.apdu_count)
    assert counts == [COLD_BUDGET, READ_BUDGET]


def test_a_card_without_short_ef_ids_is_still_read(make_rig: MakeRig, trust: TrustStore) -> None:
    rig = make_rig("smith", short_ef_ids=False)
    record = rig.run(lambda card: card.read_resident("2468", trust))
    assert record.basic_four.name == rig.card.identity.name
    assert record.integrity is IntegrityResult.VERIFIED
    # the refused short read of the token costs one APDU, then explicit SELECTs throughout
    assert rig.card.apdu_count == 22
    assert rig.card.transcript[1][1] == b"\x6a\x86"
    assert len(_short_ef_id_reads(rig.card.commands)) == 1


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
    assert rig.card.apdu_count == 18
