"""JPKI signing, quirk modes, vanishing, non-My-Number cards and the access log."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kiosk.hardware.card.errors import NoCardError
from kiosk.hardware.card.sim import App, GenericCard, SimulatedCard, SimulatedTransport
from kiosk.hardware.card.sim import constants as c

from .apdus import ok, read_all, read_binary, run, select_ap, select_ef, sign, tlv_end, verify

MakeCard = Callable[..., SimulatedCard]
MESSAGE = "住民異動届 2026-11-27".encode()


def _digest_info(message: bytes) -> bytes:
    return c.SHA256_DIGEST_INFO_PREFIX + hashlib.sha256(message).digest()


def _cert_key(card: SimulatedCard, fid: int) -> rsa.RSAPublicKey:
    der = read_all(card, fid)
    cert = x509.load_der_x509_certificate(der[: tlv_end(der)])
    key = cert.public_key()
    assert isinstance(key, rsa.RSAPublicKey)
    return key


@pytest.mark.parametrize(
    ("pin_ef", "key_ef", "cert_ef", "pin"),
    [
        (c.EF_JPKI_AUTH_PIN, c.EF_JPKI_AUTH_KEY, c.EF_JPKI_AUTH_CERT, "1234"),
        (c.EF_JPKI_SIGN_PIN, c.EF_JPKI_SIGN_KEY, c.EF_JPKI_SIGN_CERT, "ABC123"),
    ],
)
def test_signature_over_digest_info_verifies_with_the_certificate(
    yamada: SimulatedCard, pin_ef: int, key_ef: int, cert_ef: int, pin: str
) -> None:
    ok(yamada, select_ap(c.AID_JPKI))
    ok(yamada, select_ef(pin_ef))
    ok(yamada, verify(pin))
    key = _cert_key(yamada, cert_ef)
    ok(yamada, select_ef(key_ef))
    signature = ok(yamada, sign(_digest_info(MESSAGE)))
    assert len(signature) == 256
    key.verify(signature, MESSAGE, padding.PKCS1v15(), hashes.SHA256())


def test_signing_needs_the_pin_and_sane_input(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_JPKI))
    ok(yamada, select_ef(c.EF_JPKI_AUTH_KEY))
    assert run(yamada, sign(_digest_info(MESSAGE)))[1] == 0x6982
    ok(yamada, select_ef(c.EF_JPKI_AUTH_PIN))
    ok(yamada, verify("1234"))
    assert run(yamada, sign(_digest_info(MESSAGE)))[1] == 0x6981  # current EF is the PIN
    ok(yamada, select_ef(c.EF_JPKI_AUTH_KEY))
    assert run(yamada, sign(bytes(246)))[1] == 0x6700
    assert run(yamada, sign(_digest_info(MESSAGE), p1=0x06))[1] == 0x6A86
    ok(yamada, select_ef(c.EF_JPKI_SIGN_KEY))
    assert run(yamada, sign(_digest_info(MESSAGE)))[1] == 0x6982  # auth PIN does not open it


def test_other_signature_schemes(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_JPKI))
    ok(yamada, select_ef(c.EF_JPKI_AUTH_PIN))
    ok(yamada, verify("1234"))
    key = _cert_key(yamada, c.EF_JPKI_AUTH_CERT)
    ok(yamada, select_ef(c.EF_JPKI_AUTH_KEY))
    key.verify(ok(yamada, sign(MESSAGE, p1=0x03)), MESSAGE, padding.PKCS1v15(), hashes.SHA256())
    digest = hashlib.sha256(MESSAGE).digest()
    pss = padding.PSS(padding.MGF1(hashes.SHA256()), 32)
    key.verify(ok(yamada, sign(MESSAGE, p1=0x05)), MESSAGE, pss, hashes.SHA256())
    assert run(yamada, sign(digest + b"x", p1=0x02))[1] == 0x6700
    by_sfi = ok(yamada, bytes([0x80, 0x2A, 0x00, 0x97, 51]) + _digest_info(MESSAGE) + b"\x00")
    key.verify(by_sfi, MESSAGE, padding.PKCS1v15(), hashes.SHA256())


def test_pin_per_signature_mode_forgets_the_pin_after_signing(make_card: MakeCard) -> None:
    card = make_card(pin_per_signature=True)
    ok(card, select_ap(c.AID_JPKI))
    ok(card, select_ef(c.EF_JPKI_AUTH_PIN))
    ok(card, verify("1234"))
    ok(card, select_ef(c.EF_JPKI_AUTH_KEY))
    ok(card, sign(_digest_info(MESSAGE)))
    assert run(card, sign(_digest_info(MESSAGE)))[1] == 0x6982


def test_t0_mode_answers_61xx_and_chains_get_response(make_card: MakeCard) -> None:
    card = make_card(t0_get_response=True)
    ok(card, select_ap(c.AID_JPKI))
    ok(card, select_ef(c.EF_JPKI_TOKEN))
    assert run(card, read_binary(0, 0)) == (b"", 0x61A0)  # 160 bytes waiting
    first = run(card, bytes.fromhex("00C0000064"))
    assert first[1] == 0x613C and len(first[0]) == 100
    rest = run(card, bytes.fromhex("00C000003C"))
    assert rest[1] == 0x9000 and first[0] + rest[0] == card.apps[App.JPKI].files[6].content  # type: ignore[union-attr]
    assert run(card, bytes.fromhex("00C0000010"))[1] == 0x6985  # nothing pending


def test_t0_mode_drops_pending_data_on_another_command(make_card: MakeCard) -> None:
    card = make_card(t0_get_response=True)
    ok(card, select_ap(c.AID_JPKI))
    ok(card, select_ef(c.EF_JPKI_TOKEN))
    assert run(card, read_binary(0, 0))[1] == 0x61A0
    ok(card, select_ef(c.EF_JPKI_TOKEN))
    assert run(card, bytes.fromhex("00C00000A0"))[1] == 0x6985


def test_wrong_le_answers_6cxx_then_accepts_the_corrected_le(make_card: MakeCard) -> None:
    card = make_card(wrong_le_6cxx=True)
    ok(card, select_ap(c.AID_JPKI))
    ok(card, select_ef(c.EF_JPKI_TOKEN))
    assert run(card, read_binary(100, 0)) == (b"", 0x6C3C)
    assert len(ok(card, read_binary(100, 0x3C))) == 60
    assert len(ok(card, read_binary(0, 16))) == 16  # a smaller Le is fine


def test_vanish_after_n_apdus_raises_no_card_in_process(make_card: MakeCard) -> None:
    card = make_card(vanish_after=3)
    with SimulatedTransport(card) as transport:
        for apdu in (select_ap(c.AID_JPKI), select_ef(c.EF_JPKI_TOKEN), read_binary(0, 32)):
            assert transport.transmit(apdu)[1] == 0x9000
        with pytest.raises(NoCardError):
            transport.transmit(read_binary(32, 32))
        with pytest.raises(NoCardError):
            transport.transmit(select_ap(c.AID_JPKI))
    assert card.vanished and card.apdu_count == 3
    card.revive()
    assert run(card, select_ap(c.AID_JPKI))[1] == 0x9000


def test_transport_splits_data_and_status_word(yamada: SimulatedCard) -> None:
    transport = SimulatedTransport(yamada)
    assert transport.atr == bytes.fromhex("3BE000FF8131FE4514")
    transport.transmit(select_ap(c.AID_JPKI))
    transport.transmit(select_ef(c.EF_JPKI_TOKEN))
    data, sw = transport.transmit(read_binary(0, 15))
    assert (data, sw) == (b"JPKIAPICCTOKEN2", 0x9000)
    transport.close()
    transport.close()
    with pytest.raises(NoCardError):
        transport.transmit(read_binary(0, 15))


def test_generic_card_has_no_my_number_applications() -> None:
    card = GenericCard()
    for aid in (c.AID_JPKI, c.AID_TEXT, c.AID_VISUAL):
        assert run(card, select_ap(aid))[1] == 0x6A82
    assert card.atr != c.ATR_CONTACT


def test_card_without_token_ef_and_old_juki_token(make_card: MakeCard) -> None:
    card = make_card(with_token=False)
    ok(card, select_ap(c.AID_JPKI))
    assert run(card, select_ef(c.EF_JPKI_TOKEN))[1] == 0x6A82
    juki = make_card(token_label="JPKIAPICCTOKEN")
    ok(juki, select_ap(c.AID_JPKI))
    ok(juki, select_ef(c.EF_JPKI_TOKEN))
    assert ok(juki, read_binary(0, 32)) == b"JPKIAPICCTOKEN".ljust(32)


def test_child_card_has_no_signing_certificate(make_card: MakeCard) -> None:
    card = make_card("kobayashi_child")
    ok(card, select_ap(c.AID_JPKI))
    assert run(card, select_ef(c.EF_JPKI_SIGN_CERT))[1] == 0x6A82
    ok(card, select_ef(c.EF_JPKI_CERT_AVAILABILITY))
    assert ok(card, read_binary(0, 3)) == b"\x00\x8f\x00"


def test_access_log_records_selections_reads_and_commands(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_TEXT))
    ok(yamada, select_ef(c.EF_TEXT_PIN))
    ok(yamada, verify("1234"))
    read_all(yamada, c.EF_TEXT_BASIC4)
    assert yamada.was_selected(App.TEXT)
    assert yamada.was_selected(App.TEXT, c.EF_TEXT_BASIC4)
    assert not yamada.was_selected(App.TEXT, c.EF_TEXT_MY_NUMBER)
    assert (App.TEXT, c.EF_TEXT_BASIC4) in yamada.files_read
    assert yamada.commands[2] == verify("1234")  # test-only: VERIFY data is kept
    assert yamada.apdu_count == len(yamada.transcript) == len(yamada.commands)
    assert yamada.transcript[0] == (select_ap(c.AID_TEXT), b"\x90\x00")
    yamada.clear_log()
    assert yamada.apdu_count == 0 and not yamada.selected_files


def test_text_ap_internal_authentication_needs_no_pin(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_TEXT))
    challenge = ok(yamada, bytes.fromhex("0084000010"))
    assert len(challenge) == 16
    data = _digest_info(challenge)
    signature = ok(yamada, bytes([0x80, 0x2A, 0x00, 0x00, len(data)]) + data + b"\x00")
    ap_key = yamada.pki.card(yamada.identity).text_ap_key.public_key()
    ap_key.verify(signature, challenge, padding.PKCS1v15(), hashes.SHA256())
    assert run(yamada, bytes.fromhex("00840000000010"))[1] == 0x6985  # no extended challenge


def test_verify_by_short_file_identifier(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_JPKI))
    assert run(yamada, bytes.fromhex("00200098"))[1] == 0x63C3  # P2 = 80 | SFI 18
    ok(yamada, bytes.fromhex("002000980431323334"))
    ok(yamada, select_ef(c.EF_JPKI_AUTH_KEY))
    assert len(ok(yamada, sign(_digest_info(MESSAGE)))) == 256
