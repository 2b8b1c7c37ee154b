"""The reader's contract, run against the simulated card in-process and through pcscd + vpcd."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from kiosk.hardware.card import apdu, jpki
from kiosk.hardware.card.basic_four import Sex
from kiosk.hardware.card.cv_cache import CACHE_FILE
from kiosk.hardware.card.errors import (
    BadResponseError,
    NoCardError,
    NotMyNumberCardError,
    PinBlockedError,
    WrongPinError,
)
from kiosk.hardware.card.integrity import IntegrityResult
from kiosk.hardware.card.my_number_card import MyNumberCard, PinStatus, parse_certificate
from kiosk.hardware.card.protocol import CardProtocol
from kiosk.hardware.card.sim import App, GenericCard
from kiosk.hardware.card.trust import ChainResult, TrustStore
from tests.contract.card.conftest import Rig

MakeRig = Callable[..., Rig]
AUTH_PIN, SIGN_PIN, TEXT_PIN = 0x18, 0x1B, 0x11
READ_BUDGET = 20


def tries(rig: Rig) -> tuple[int, int, int]:
    card = rig.card
    return (
        card.pin(App.TEXT, TEXT_PIN).tries_left,
        card.pin(App.JPKI, AUTH_PIN).tries_left,
        card.pin(App.JPKI, SIGN_PIN).tries_left,
    )


def test_pin_status_reports_tries_and_consumes_none(make_rig: MakeRig) -> None:
    rig = make_rig("tanaka_last_try")
    before = tries(rig)
    first = rig.run(MyNumberCard.pin_status)
    second = rig.run(MyNumberCard.pin_status)
    assert first == second == PinStatus(text_pin_tries=1, auth_pin_tries=3, sign_pin_tries=5)
    assert tries(rig) == before == (1, 3, 5)


def test_read_resident_of_an_ordinary_adult(make_rig: MakeRig, trust: TrustStore) -> None:
    rig = make_rig("yamada")
    rig.card.clear_log()
    record = rig.run(lambda card: card.read_resident("1234", trust))
    info = record.basic_four
    assert (info.name, info.address) == ("山田\u3000太郎", "東京都新宿区西新宿二丁目８番１号")
    assert (info.birth_date, info.sex) == (dt.date(1985, 4, 12), Sex.MALE)
    assert record.integrity is IntegrityResult.VERIFIED
    assert record.auth_certificate.chain is ChainResult.TRUSTED
    assert record.auth_certificate.not_after == dt.date(2030, 4, 12)
    assert rig.card.apdu_count <= READ_BUDGET


@pytest.mark.parametrize(
    ("identity", "pin", "name", "sex"),
    [
        ("takahashi", "5678", "髙橋\u3000𠮷子", Sex.FEMALE),
        ("sato", "9012", "佐藤\u3000ひかる", Sex.NOT_APPLICABLE),
        ("smith", "2468", "SMITH JOHNATHAN", Sex.MALE),
    ],
)
def test_read_resident_unusual_records(
    make_rig: MakeRig, trust: TrustStore, identity: str, pin: str, name: str, sex: Sex
) -> None:
    rig = make_rig(identity)
    record = rig.run(lambda card: card.read_resident(pin, trust))
    assert record.basic_four.name.startswith(name)
    assert record.basic_four.name == rig.card.identity.name
    assert record.basic_four.address == rig.card.identity.address
    assert record.basic_four.sex is sex
    assert record.integrity is IntegrityResult.VERIFIED


def test_read_never_touches_the_my_number_ef_the_card_face_or_the_signing_cert(
    make_rig: MakeRig, trust: TrustStore
) -> None:
    rig = make_rig("yamada")
    rig.run(lambda card: card.read_resident("1234", trust))
    rig.run(MyNumberCard.pin_status)
    touched = set(rig.card.selected_files) | set(rig.card.files_read)
    assert (App.TEXT, 0x0001) not in touched
    assert (App.JPKI, 0x0001) not in touched and (App.JPKI, 0x001A) not in touched
    assert not any(app is App.VISUAL for app, _ in touched)
    assert (App.TEXT, 0x0002) in touched  # the log does record what was read


def test_read_sends_only_the_input_support_pin(make_rig: MakeRig) -> None:
    rig = make_rig("yamada")
    rig.run(lambda card: card.read_resident("1234"))
    verifies = [c for c in rig.card.commands if c[1] == 0x20 and len(c) > 4]
    assert len(verifies) == 1
    assert tries(rig) == (3, 3, 5)


def test_wrong_pin_twice_then_right_resets_the_counter(make_rig: MakeRig) -> None:
    rig = make_rig("yamada")
    for expected in (2, 1):
        with pytest.raises(WrongPinError) as info:
            rig.run(lambda card: card.read_resident("9999"))
        assert info.value.tries_left == expected
        assert rig.run(MyNumberCard.pin_status).text_pin_tries == expected
    record = rig.run(lambda card: card.read_resident("1234"))
    assert record.basic_four.name == "山田\u3000太郎"
    assert rig.run(MyNumberCard.pin_status).text_pin_tries == 3


def test_the_last_wrong_try_blocks_the_pin(make_rig: MakeRig) -> None:
    rig = make_rig("tanaka_last_try")
    with pytest.raises(PinBlockedError):
        rig.run(lambda card: card.read_resident("0000"))
    with pytest.raises(PinBlockedError):
        rig.run(lambda card: card.read_resident("4321"))
    assert rig.run(MyNumberCard.pin_status).text_pin_tries == 0


def test_blocked_card(make_rig: MakeRig) -> None:
    rig = make_rig("suzuki_blocked")
    assert rig.run(MyNumberCard.pin_status) == PinStatus(0, 0, 5)
    with pytest.raises(PinBlockedError):
        rig.run(lambda card: card.read_resident("1111"))


@pytest.mark.parametrize(
    "options",
    [
        {"card_class": GenericCard},
        {"with_token": False},
        {"token_label": "JPKIAPICCTOKEN"},
    ],
    ids=["no-jpki-ap", "no-token-ef", "juki-card-token"],
)
def test_not_a_my_number_card(make_rig: MakeRig, options: dict[str, object]) -> None:
    rig = make_rig("yamada", **options)
    with pytest.raises(NotMyNumberCardError):
        rig.run(MyNumberCard.pin_status)
    with pytest.raises(NotMyNumberCardError):
        rig.run(lambda card: card.read_resident("1234"))
    assert not any(c[1] == 0x20 and len(c) > 4 for c in rig.card.commands)  # no PIN sent


@pytest.mark.parametrize(
    "corrupt",
    [
        "basic4_truncated",
        "basic4_bad_length",
        "basic4_bad_offsets",
        "basic4_bad_utf8",
        "auth_cert_truncated",
    ],
)
def test_malformed_data_is_a_card_error(make_rig: MakeRig, trust: TrustStore, corrupt: str) -> None:
    rig = make_rig("yamada", corrupt=corrupt)
    with pytest.raises(BadResponseError):
        rig.run(lambda card: card.read_resident("1234", trust))


@pytest.mark.parametrize("corrupt", ["integrity_digest", "integrity_signature", "cv_signature"])
def test_integrity_faults_are_reported_as_failed(
    make_rig: MakeRig, trust: TrustStore, corrupt: str
) -> None:
    rig = make_rig("yamada", corrupt=corrupt)
    assert rig.run(lambda c: c.read_resident("1234", trust)).integrity is IntegrityResult.FAILED


def test_partial_anchors(make_rig: MakeRig, trust: TrustStore) -> None:
    rig = make_rig("yamada")
    roots_only = TrustStore(roots=trust.roots)
    keys_only = TrustStore(cv_issuer_keys=trust.cv_issuer_keys)
    first = rig.run(lambda card: card.read_resident("1234", roots_only))
    second = rig.run(lambda card: card.read_resident("1234", keys_only))
    third = rig.run(lambda card: card.read_resident("1234", None))
    assert (first.integrity, first.auth_certificate.chain) == (
        IntegrityResult.UNVERIFIED,
        ChainResult.TRUSTED,
    )
    assert (second.integrity, second.auth_certificate.chain) == (
        IntegrityResult.VERIFIED,
        ChainResult.UNTRUSTED,
    )
    assert (third.integrity, third.auth_certificate.chain) == (
        IntegrityResult.UNVERIFIED,
        ChainResult.UNTRUSTED,
    )


@pytest.mark.parametrize("quirk", ["t0_get_response", "wrong_le_6cxx"])
def test_t0_chaining_and_le_correction_give_the_same_result(
    make_rig: MakeRig, trust: TrustStore, quirk: str
) -> None:
    rig = make_rig("takahashi", **{quirk: True})
    record = rig.run(lambda card: card.read_resident("5678", trust))
    assert record.basic_four.name == "髙橋\u3000𠮷子"
    assert record.integrity is IntegrityResult.VERIFIED
    if quirk == "t0_get_response":
        assert any(resp[-2] == 0x61 for _, resp in rig.card.transcript)


def test_le_correction_on_a_file_shorter_than_le(make_rig: MakeRig) -> None:
    """The token EF holds 160 bytes: asking for 256 draws 6CA0, then the resent READ succeeds."""
    rig = make_rig("yamada", wrong_le_6cxx=True)

    with rig.connect() as transport:
        protocol = CardProtocol(transport)
        protocol.send_ok(apdu.select_df(jpki.JPKI_AID), "SELECT")
        protocol.send_ok(apdu.select_ef(jpki.EF_TOKEN), "SELECT")
        token = protocol.send_ok(apdu.read_binary(0, 256), "READ")
    assert len(token) == 160 and token.startswith(b"JPKIAPICCTOKEN2 ")
    assert [resp[-2:] for _, resp in rig.card.transcript[-2:]] == [b"\x6c\xa0", b"\x90\x00"]


def test_sign_with_auth_key_binds_a_digest_to_the_auth_certificate(make_rig: MakeRig) -> None:
    rig = make_rig("yamada")
    digest = hashlib.sha256("住民異動届 filing bytes".encode()).digest()
    signature = rig.run(lambda card: card.sign_with_auth_key("1234", digest))
    cert_der = rig.run(lambda card: card.read_auth_certificate()).der
    key = parse_certificate(cert_der).public_key()
    assert isinstance(key, rsa.RSAPublicKey)
    key.verify(signature, digest, padding.PKCS1v15(), Prehashed(hashes.SHA256()))
    assert tries(rig) == (3, 3, 5)
    verified = [c for c in rig.card.commands if c[1] == 0x20 and len(c) > 4]
    assert len(verified) == 1 and (App.TEXT, None) not in rig.card.selected_files


def test_wrong_auth_pin_is_typed_and_not_retried(make_rig: MakeRig) -> None:
    rig = make_rig("yamada")
    with pytest.raises(WrongPinError) as info:
        rig.run(lambda card: card.sign_with_auth_key("0000", bytes(32)))
    assert info.value.tries_left == 2
    assert tries(rig) == (3, 2, 5)


FULL_READ_APDUS = 18  # yamada, cold cache (see test_recognition_and_budget.py)


@pytest.mark.slow
def test_card_pulled_at_every_apdu_index_is_no_card(
    make_rig: MakeRig, trust: TrustStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    monkeypatch.setenv("KIOSK_STATE_DIR", str(state))  # the reader's default cache location
    reference = make_rig("yamada")
    reference.run(lambda card: card.read_resident("1234", trust))
    total = reference.card.apdu_count
    reference.dispose()
    assert total == FULL_READ_APDUS
    cache = state / CACHE_FILE
    cached = cache.read_bytes()
    cache.unlink()
    for index in range(total):
        rig = make_rig("yamada", vanish_after=index)
        with pytest.raises(NoCardError):
            rig.run(lambda card: card.read_resident("1234", trust))
        rig.dispose()
        assert not cache.exists()  # nothing partial is kept, not even the J-LIS certificate
    cache.write_bytes(cached)  # warm: a shorter read, pulled at each of its indices too
    for index in range(FULL_READ_APDUS - 4):
        rig = make_rig("yamada", vanish_after=index)
        with pytest.raises(NoCardError):
            rig.run(lambda card: card.read_resident("1234", trust))
        rig.dispose()
        assert cache.read_bytes() == cached
