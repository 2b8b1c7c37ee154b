"""Status words, PIN counters and security state of the simulated card (card-protocol.md §11)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.hardware.card.sim import App, SecurityReset, SimulatedCard
from kiosk.hardware.card.sim import constants as c

from .apdus import ok, read_binary, run, select_ap, select_ef, verify

MakeCard = Callable[..., SimulatedCard]


def test_unknown_aid_and_unknown_ef_answer_6a82(yamada: SimulatedCard) -> None:
    assert run(yamada, select_ap(bytes.fromhex("A000000003000000")))[1] == 0x6A82
    ok(yamada, select_ap(c.AID_JPKI))
    assert run(yamada, select_ef(0x0C0C))[1] == 0x6A82
    assert run(yamada, select_ef(0x0001)) == (b"", 0x9000)  # exists, protected only for reading


def test_select_ef_before_any_application_is_not_found(yamada: SimulatedCard) -> None:
    assert run(yamada, select_ef(c.EF_JPKI_AUTH_CERT))[1] == 0x6A82


def test_select_mf_quirks(yamada: SimulatedCard) -> None:
    assert run(yamada, bytes.fromhex("00A40000"))[1] == 0x6A86  # after reset
    ok(yamada, select_ap(c.AID_TEXT))
    assert run(yamada, bytes.fromhex("00A40000"))[1] == 0x9000
    assert run(yamada, bytes.fromhex("00A4000C023F00"))[1] == 0x6A82


@pytest.mark.parametrize(
    ("apdu", "sw"),
    [
        ("00FE000000", 0x6D00),  # unknown INS
        ("80B0000004", 0x6D00),  # proprietary class, ISO INS
        ("90A4040C0AD392F000260100000001", 0x6E00),  # unknown CLA
        ("01A4040C0AD392F000260100000001", 0x6881),  # logical channel 1
        ("0CA4040C0AD392F000260100000001", 0x6882),  # secure messaging
        ("00A4", 0x6700),  # malformed
        ("00A4040C0AD392F0", 0x6700),  # Lc larger than the data
        ("00A4080C023F00", 0x6A86),  # select by path is not supported
    ],
)
def test_generic_status_words(yamada: SimulatedCard, apdu: str, sw: int) -> None:
    assert run(yamada, bytes.fromhex(apdu))[1] == sw


def test_read_binary_status_words(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_JPKI))
    assert run(yamada, read_binary(0, 4))[1] == 0x6986  # no current EF
    ok(yamada, select_ef(c.EF_JPKI_AUTH_PIN))
    assert run(yamada, read_binary(0, 4))[1] == 0x6981  # a PIN is not readable
    ok(yamada, select_ef(c.EF_JPKI_SIGN_CERT))
    assert run(yamada, read_binary(0, 4))[1] == 0x6982  # needs the signing password
    ok(yamada, select_ef(c.EF_JPKI_TOKEN))
    assert run(yamada, read_binary(160, 1))[1] == 0x6B00  # past the end
    assert run(yamada, read_binary(159, 0)) == (b"\x00", 0x9000)  # short last chunk
    assert run(yamada, bytes.fromhex("00B00000"))[1] == 0x6700  # no Le
    assert run(yamada, bytes.fromhex("00B0A00004"))[1] == 0x6A86  # bad SFI form
    assert run(yamada, bytes.fromhex("00B07FFF01"))[1] == 0x6B00  # largest offset, past the end
    assert run(yamada, bytes.fromhex("00B0801F01"))[1] == 0x6A82  # P1 bit 8 = SFI, not offset
    assert run(yamada, bytes.fromhex("00B1000000"))[1] == 0x6D00  # odd INS (offset > 7FFF)


def test_le_00_means_at_most_256_bytes(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_JPKI))
    ok(yamada, select_ef(c.EF_JPKI_AUTH_CERT))
    data = ok(yamada, read_binary(0, 256))
    assert len(data) == 256
    assert data[:2] == b"\x30\x82"


def test_extended_le_reads_a_whole_certificate_unless_disabled(make_card: MakeCard) -> None:
    card = make_card()
    ok(card, select_ap(c.AID_JPKI))
    ok(card, select_ef(c.EF_JPKI_AUTH_CERT))
    der = card.pki.card(card.identity).auth_cert_der
    assert ok(card, bytes.fromhex("00B00000000000"))[: len(der)] == der
    short_only = make_card(extended_length=False)
    ok(short_only, select_ap(c.AID_JPKI))
    ok(short_only, select_ef(c.EF_JPKI_AUTH_CERT))
    assert run(short_only, bytes.fromhex("00B00000000000"))[1] == 0x6700


def test_read_binary_by_short_file_identifier(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_JPKI))
    data = ok(yamada, bytes.fromhex("00B08A0004"))  # SFI 0x0A = auth certificate
    assert data[:2] == b"\x30\x82"
    assert (App.JPKI, c.EF_JPKI_AUTH_CERT) in yamada.selected_files


def test_retry_query_is_case_1_and_consumes_nothing(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_TEXT))
    ok(yamada, select_ef(c.EF_TEXT_PIN))
    for _ in range(3):
        assert run(yamada, verify(None))[1] == 0x63C3
    assert run(yamada, bytes.fromhex("0020008000"))[1] == 0x6700  # with Le: wrong length
    assert yamada.pin(App.TEXT, c.EF_TEXT_PIN).tries_left == 3


def test_wrong_pins_count_down_block_and_stay_blocked(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_TEXT))
    ok(yamada, select_ef(c.EF_TEXT_PIN))
    assert [run(yamada, verify("0000"))[1] for _ in range(3)] == [0x63C2, 0x63C1, 0x63C0]
    assert run(yamada, verify(None))[1] == 0x63C0
    assert run(yamada, verify("1234"))[1] == 0x6984  # even the right PIN
    ok(yamada, select_ef(c.EF_TEXT_BASIC4))
    assert run(yamada, read_binary(0, 0))[1] == 0x6982


def test_correct_pin_resets_the_counter_to_max(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_JPKI))
    ok(yamada, select_ef(c.EF_JPKI_SIGN_PIN))
    assert run(yamada, verify("WRONG1"))[1] == 0x63C4
    assert run(yamada, verify("abc123"))[1] == 0x63C3  # lower case is simply wrong
    ok(yamada, verify("ABC123"))
    assert run(yamada, verify(None))[1] == 0x63C5  # the query still reports tries, not "logged in"


def test_blocked_sw_can_be_switched_to_6983(make_card: MakeCard) -> None:
    card = make_card("suzuki_blocked", blocked_sw=0x6983)
    ok(card, select_ap(c.AID_TEXT))
    ok(card, select_ef(c.EF_TEXT_PIN))
    assert run(card, verify(None))[1] == 0x63C0
    assert run(card, verify("1111"))[1] == 0x6983


def test_card_with_one_try_left_blocks_on_the_next_mistake(make_card: MakeCard) -> None:
    card = make_card("tanaka_last_try")
    ok(card, select_ap(c.AID_TEXT))
    ok(card, select_ef(c.EF_TEXT_PIN))
    assert run(card, verify(None))[1] == 0x63C1
    assert run(card, verify("9999"))[1] == 0x63C0
    assert run(card, verify("4321"))[1] == 0x6984
    card.admin_reset_pin(App.TEXT, c.EF_TEXT_PIN)
    assert run(card, verify("4321"))[1] == 0x9000


def _unlock_basic4(card: SimulatedCard) -> None:
    ok(card, select_ap(c.AID_TEXT))
    ok(card, select_ef(c.EF_TEXT_PIN))
    ok(card, verify(card.identity.pins.text))
    ok(card, select_ef(c.EF_TEXT_BASIC4))


def test_pin_opens_basic4_and_my_number_but_only_in_its_application(yamada: SimulatedCard) -> None:
    _unlock_basic4(yamada)
    assert ok(yamada, read_binary(0, 3))[:2] == b"\xff\x20"
    ok(yamada, select_ap(c.AID_JPKI))
    ok(yamada, select_ap(c.AID_TEXT))
    ok(yamada, select_ef(c.EF_TEXT_BASIC4))
    assert run(yamada, read_binary(0, 3))[1] == 0x6982  # security state lost on re-SELECT


@pytest.mark.parametrize(
    ("mode", "same_ap_keeps", "other_ap_keeps"),
    [
        (SecurityReset.ANY_SELECT, False, False),
        (SecurityReset.OTHER_AP, True, False),
        (SecurityReset.NEVER, True, True),
    ],
)
def test_security_reset_modes(
    make_card: MakeCard, mode: SecurityReset, same_ap_keeps: bool, other_ap_keeps: bool
) -> None:
    for reselect, keeps in ((c.AID_TEXT, same_ap_keeps), (c.AID_JPKI, other_ap_keeps)):
        card = make_card(security_reset=mode)
        _unlock_basic4(card)
        ok(card, select_ap(reselect))
        ok(card, select_ap(c.AID_TEXT))
        ok(card, select_ef(c.EF_TEXT_BASIC4))
        assert (run(card, read_binary(0, 3))[1] == 0x9000) is keeps


def test_reset_forgets_verified_pins(yamada: SimulatedCard) -> None:
    _unlock_basic4(yamada)
    yamada.reset()
    ok(yamada, select_ap(c.AID_TEXT))
    ok(yamada, select_ef(c.EF_TEXT_BASIC4))
    assert run(yamada, read_binary(0, 3))[1] == 0x6982


def test_verification_codes_open_what_the_card_opens(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_TEXT))
    ok(yamada, select_ef(c.EF_TEXT_CODE_B))
    ok(yamada, verify(yamada.identity.verification_code_b))
    ok(yamada, select_ef(c.EF_TEXT_BASIC4))
    assert run(yamada, read_binary(0, 3))[1] == 0x9000
    ok(yamada, select_ef(c.EF_TEXT_MY_NUMBER))
    assert run(yamada, read_binary(0, 17))[1] == 0x6982  # code B does not open EF 0001


def test_change_reference_data_needs_a_verified_pin(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_TEXT))
    ok(yamada, select_ef(c.EF_TEXT_PIN))
    assert run(yamada, bytes.fromhex("002401800435353535"))[1] == 0x6982
    ok(yamada, verify("1234"))
    assert run(yamada, bytes.fromhex("00240180053535353535"))[1] == 0x6A80  # 5 digits
    ok(yamada, bytes.fromhex("002401800435353535"))
    assert run(yamada, verify("1234"))[1] == 0x63C2
    ok(yamada, verify("5555"))


def test_text_ap_reads_with_pin_return_the_basic4_and_filler(yamada: SimulatedCard) -> None:
    _unlock_basic4(yamada)
    data = ok(yamada, read_binary(0, 0))
    assert data[:2] == b"\xff\x20"
    assert "山田".encode() in data
    assert data.endswith(b"\xff")


def test_visual_and_common_applications_answer_select(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_VISUAL))
    ok(yamada, select_ef(c.EF_VISUAL_AP_INFO))
    assert ok(yamada, read_binary(0, 4))[:2] == b"\xff\x30"
    ok(yamada, select_ef(c.EF_VISUAL_FACE))
    assert run(yamada, read_binary(0, 4))[1] == 0x6982
    ok(yamada, select_ap(c.AID_COMMON))
    record = ok(yamada, bytes.fromhex("00B2010C00"))
    assert record[:2] == b"\x01\x1c" and record.endswith(b"20350412")


def test_get_data_returns_the_contact_atr_without_3b(yamada: SimulatedCard) -> None:
    assert ok(yamada, bytes.fromhex("00CA5F5100")) == yamada.atr[1:]


def test_traffic_log_never_contains_pins_or_response_data(
    yamada: SimulatedCard, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(5, logger="kiosk.hardware.card.sim")
    _unlock_basic4(yamada)
    ok(yamada, read_binary(0, 0))
    text = caplog.text
    assert "sim <-" in text and "00 20 00 80 04 ** ** ** **" in text
    assert "31 32 33 34" not in text and "1234" not in text
    assert "e5 b1 b1" not in text.lower()  # 山 from the name never shows up


def test_first_command_after_reset_can_answer_6f00(make_card: MakeCard) -> None:
    card = make_card(first_command_6f00=True)
    assert run(card, select_ap(c.AID_JPKI))[1] == 0x6F00
    assert run(card, select_ap(c.AID_JPKI))[1] == 0x9000
    card.reset()
    assert run(card, select_ap(c.AID_JPKI))[1] == 0x6F00


def test_code_a_opens_my_number_but_not_basic4(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_TEXT))
    ok(yamada, select_ef(c.EF_TEXT_CODE_A))
    ok(yamada, verify(yamada.identity.my_number))
    ok(yamada, select_ef(c.EF_TEXT_MY_NUMBER))
    assert ok(yamada, read_binary(0, 17)) == b"\xff\x10\x0c" + b"123456789018" + b"\xff\xff"
    ok(yamada, select_ef(c.EF_TEXT_BASIC4))
    assert run(yamada, read_binary(0, 3))[1] == 0x6982


def test_card_face_birth_date_key_opens_only_the_age_record(yamada: SimulatedCard) -> None:
    ok(yamada, select_ap(c.AID_VISUAL))
    ok(yamada, select_ef(c.EF_VISUAL_BIRTH_KEY))
    assert run(yamada, verify(None))[1] == 0x63CA  # 10 tries (UNVERIFIED limit)
    ok(yamada, verify(yamada.identity.birth_date_key))
    ok(yamada, select_ef(c.EF_VISUAL_AGE))
    assert b"19850412" in ok(yamada, read_binary(0, 0))
    ok(yamada, select_ef(c.EF_VISUAL_FACE))
    assert run(yamada, read_binary(0, 4))[1] == 0x6982
