"""Byte-exact transcripts of the facade against a scripted card."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from kiosk.hardware.card.basic_four import Sex
from kiosk.hardware.card.cv_cache import CvCertificateCache
from kiosk.hardware.card.errors import (
    ApduError,
    BadResponseError,
    NoCardError,
    NotMyNumberCardError,
    PinBlockedError,
    PinFormatError,
    WrongPinError,
)
from kiosk.hardware.card.input_support import InputSupportSession
from kiosk.hardware.card.integrity import IntegrityResult
from kiosk.hardware.card.jpki import JpkiSession
from kiosk.hardware.card.my_number_card import SHA256_DIGEST_INFO_PREFIX, MyNumberCard, PinStatus
from kiosk.hardware.card.protocol import CardProtocol
from kiosk.hardware.card.session import ApplicationSession, FileNotAllowedError
from kiosk.hardware.card.trust import ChainResult, TrustStore
from tests.unit.card import builders
from tests.unit.card.conftest import NOW
from tests.unit.card.scripted import ScriptedTransport, Step, cmd

SELECT_JPKI = cmd("00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01")
SELECT_TEXT = cmd("00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08")
TOKEN = b"JPKIAPICCTOKEN2".ljust(32, b" ") + bytes(128)
READ_TOKEN_BY_SHORT_EF_ID = cmd("00 B0 86 00 20")
SELECT_TOKEN = cmd("00 A4 02 0C 02 00 06")
READ_TOKEN = cmd("00 B0 00 00 20")
RECOGNISE = [Step(SELECT_JPKI), Step(READ_TOKEN_BY_SHORT_EF_ID, TOKEN[:32])]
QUERY = cmd("00 20 00 80")
MY_NUMBER_FILE = bytes.fromhex("FF100C353337363836363737313838FFFF")


def select(fid: int) -> Step:
    return Step(cmd("00 A4 02 0C 02") + fid.to_bytes(2, "big"))


def reads(stored: bytes, size: int) -> list[Step]:
    """READ BINARY steps the reader must send for an object of ``size`` in a file ``stored``."""
    steps = [Step(cmd("00 B0 00 00 00"), stored[:256])]
    offset = len(stored[:256])
    while offset < size:
        le = min(256, size - offset)
        steps.append(
            Step(
                cmd("00 B0") + offset.to_bytes(2, "big") + bytes([le % 256]),
                stored[offset : offset + le],
            )
        )
        offset += le
    return steps


def short_reads(sfi: int, stored: bytes, size: int) -> list[Step]:
    """The first chunk by short EF id; beyond 256 bytes, SELECT EF and the rest (each byte once)."""
    steps = [Step(cmd("00 B0") + bytes([0x80 | sfi, 0x00, 0x00]), stored[:256])]
    if size > 256:
        steps.append(select(sfi))
        steps += reads(stored, size)[1:]
    return steps


class Files:
    def __init__(self, keys: builders.Keys, leaf: x509.Certificate) -> None:
        self.basic_obj = builders.basic_four_object(
            "山田\u3000𠮷子", "東京都新宿区西新宿二丁目８番１号", "19800217", "2"
        )
        self.basic = self.basic_obj + b"\xff" * (256 - len(self.basic_obj))
        self.integrity_obj = builders.integrity_object(self.basic_obj, keys.ap, MY_NUMBER_FILE)
        self.integrity = self.integrity_obj + b"\xff"
        self.cvc = builders.cv_certificate(keys.cv_issuer, keys.ap.public_key())
        self.cert = leaf.public_bytes(serialization.Encoding.DER)
        self.cert_file = self.cert + b"\xff" * 300

    def resident_steps(self, pin: bytes = b"1234") -> list[Step]:
        return [
            *RECOGNISE,
            select(0x000A),
            *reads(self.cert_file, len(self.cert)),
            Step(SELECT_TEXT),
            select(0x0011),
            Step(cmd("00 20 00 80 04") + pin),
            *short_reads(0x02, self.basic, len(self.basic_obj)),
            *short_reads(0x03, self.integrity, len(self.integrity_obj)),
            *short_reads(0x04, self.cvc, len(self.cvc)),
        ]


@pytest.fixture(scope="module")
def files(keys: builders.Keys, leaf_cert: x509.Certificate) -> Files:
    return Files(keys, leaf_cert)


@pytest.fixture(scope="module")
def trust(keys: builders.Keys, root_cert: x509.Certificate) -> TrustStore:
    return TrustStore(roots=(root_cert,), cv_issuer_keys=(keys.cv_issuer.public_key(),))


@pytest.mark.parametrize(
    ("auth_sw", "sign_sw", "text_sw", "expected"),
    [
        (0x63C3, 0x63C5, 0x63C1, PinStatus(1, 3, 5)),
        (0x63C0, 0x6984, 0x63C3, PinStatus(3, 0, 0)),  # blocked keys report zero
    ],
)
def test_pin_status_transcript_consumes_no_try(
    auth_sw: int, sign_sw: int, text_sw: int, expected: PinStatus
) -> None:
    transport = ScriptedTransport(
        [
            *RECOGNISE,
            select(0x0018),
            Step(QUERY, b"", auth_sw),
            select(0x001B),
            Step(QUERY, b"", sign_sw),
            Step(SELECT_TEXT),
            select(0x0011),
            Step(QUERY, b"", text_sw),
        ]
    )
    assert MyNumberCard(transport).pin_status() == expected
    transport.done()
    assert all(len(c) == 4 for c in transport.sent if c[1] == 0x20)  # only case-1 queries


def test_read_resident_transcript(files: Files, trust: TrustStore) -> None:
    transport = ScriptedTransport(files.resident_steps())
    card = MyNumberCard(transport, cv_cache=CvCertificateCache.memory_only())
    record = card.read_resident("1234", trust, at=NOW)
    transport.done()
    assert record.basic_four.name == "山田\u3000𠮷子"
    assert record.basic_four.sex is Sex.FEMALE
    assert record.basic_four.birth_date == dt.date(1980, 2, 17)
    assert record.integrity is IntegrityResult.VERIFIED
    assert record.auth_certificate.serial_hex == "705d990"
    assert record.auth_certificate.not_after == dt.date(2030, 2, 17)
    assert record.auth_certificate.chain is ChainResult.TRUSTED
    assert record.auth_certificate.der == files.cert
    assert len(files.cert) <= 3 * 256  # so: 2 recognise + 4 cert + 1 + 2 PIN + 1 + 3 + 4 = 17
    assert card.apdu_count == len(transport.steps) == 17
    assert not any(c.startswith(cmd("00 A4 02 0C 02 00 01")) for c in transport.sent)


def test_read_resident_without_anchors_is_unverified_and_untrusted(files: Files) -> None:
    record = MyNumberCard(ScriptedTransport(files.resident_steps())).read_resident(
        "1234", None, at=NOW
    )
    assert record.integrity is IntegrityResult.UNVERIFIED
    assert record.auth_certificate.chain is ChainResult.UNTRUSTED


def test_wrong_pin_stops_after_one_verify(files: Files) -> None:
    steps = files.resident_steps(b"9999")
    verify_at = next(i for i, s in enumerate(steps) if s.command.startswith(cmd("00 20 00 80 04")))
    steps[verify_at].sw = 0x63C2
    transport = ScriptedTransport(steps[: verify_at + 1])
    with pytest.raises(WrongPinError) as info:
        MyNumberCard(transport).read_resident("9999", None, at=NOW)
    transport.done()
    assert info.value.tries_left == 2


@pytest.mark.parametrize("sw", [0x63C0, 0x6984, 0x6983])
def test_blocked_pin(files: Files, sw: int) -> None:
    steps = files.resident_steps()
    verify_at = next(i for i, s in enumerate(steps) if s.command.startswith(cmd("00 20 00 80 04")))
    steps[verify_at].sw = sw
    transport = ScriptedTransport(steps[: verify_at + 1])
    with pytest.raises(PinBlockedError):
        MyNumberCard(transport).read_resident("1234", None, at=NOW)
    transport.done()


@pytest.mark.parametrize("sw", [0x6F00, 0x6581, 0x6C04, 0x6700, 0x6100])
def test_a_transient_error_on_verify_is_a_card_error_and_never_retried(
    files: Files, sw: int
) -> None:
    steps = files.resident_steps()
    verify_at = next(i for i, s in enumerate(steps) if s.command.startswith(cmd("00 20 00 80 04")))
    steps[verify_at].sw = sw
    if sw == 0x6100:  # "256 bytes waiting" after a VERIFY: fetched, never a second VERIFY
        steps.insert(verify_at + 1, Step(cmd("00 C0 00 00 00"), b"", 0x6F00))
    transport = ScriptedTransport(steps[: verify_at + 1 + (sw == 0x6100)])
    with pytest.raises(ApduError) as info:
        MyNumberCard(transport).read_resident("1234", None, at=NOW)
    transport.done()
    assert info.value.code == "card_error"
    assert sum(c.startswith(cmd("00 20 00 80 04")) for c in transport.sent) == 1


def test_a_basic_four_object_over_256_bytes_stays_within_20_apdus(
    keys: builders.Keys, leaf_cert: x509.Certificate
) -> None:
    files = Files(keys, leaf_cert)
    files.basic_obj = builders.basic_four_object(
        "SMITH JOHNATHAN ALEXANDER", "東京都港区六本木" + "一丁目" * 20, "19700101", "1"
    )
    assert 256 < len(files.basic_obj) <= 512
    files.basic = files.basic_obj + b"\xff" * (512 - len(files.basic_obj))
    files.integrity_obj = builders.integrity_object(files.basic_obj, keys.ap, MY_NUMBER_FILE)
    files.integrity = files.integrity_obj + b"\xff"
    transport = ScriptedTransport(files.resident_steps())
    card = MyNumberCard(transport)
    record = card.read_resident("1234", None, at=NOW)
    transport.done()
    assert record.basic_four.address.endswith("一丁目")
    # SELECT EF + one READ BINARY more than the ordinary read (17 with this 3-read certificate)
    assert card.apdu_count == len(transport.steps) == 19 <= 20


@pytest.mark.parametrize("pin", ["123", "12345", "12a4", "１２３４", ""])
def test_malformed_pin_is_refused_before_any_apdu(pin: str) -> None:
    transport = ScriptedTransport([])
    with pytest.raises(PinFormatError):
        MyNumberCard(transport).read_resident(pin)
    assert transport.sent == []


@pytest.mark.parametrize("sw", [0x6A82, 0x6D00, 0x6E00])
def test_card_without_the_jpki_ap_is_not_a_my_number_card(sw: int) -> None:
    transport = ScriptedTransport([Step(SELECT_JPKI, b"", sw)])
    with pytest.raises(NotMyNumberCardError):
        MyNumberCard(transport).pin_status()
    transport.done()


def _other_label(label: bytes) -> list[Step]:
    """A JPKI token with another label: the short-EF-id read, then the explicit re-check."""
    token = label.ljust(32, b" ")
    return [
        Step(SELECT_JPKI),
        Step(READ_TOKEN_BY_SHORT_EF_ID, token),
        Step(SELECT_TOKEN),
        Step(READ_TOKEN, token),
    ]


@pytest.mark.parametrize(
    "steps",
    [
        [
            Step(SELECT_JPKI),
            Step(READ_TOKEN_BY_SHORT_EF_ID, b"", 0x6A82),
            Step(SELECT_TOKEN, b"", 0x6A82),
        ],  # no token EF
        _other_label(b"JPKIAPICCTOKEN"),  # old 住基カード
        _other_label(b"JPKIAPGPSETOKEN"),  # a smartphone
        [
            Step(SELECT_JPKI),
            Step(READ_TOKEN_BY_SHORT_EF_ID, b"", 0x6A86),
            Step(SELECT_TOKEN),
            Step(READ_TOKEN, b"", 0x6982),
        ],  # token unreadable either way
    ],
    ids=["no-token-ef", "juki-card", "smartphone", "token-unreadable"],
)
def test_other_tokens_are_not_my_number_cards(steps: list[Step]) -> None:
    transport = ScriptedTransport(steps)
    with pytest.raises(NotMyNumberCardError):
        MyNumberCard(transport).read_resident("1234")
    transport.done()


def test_nul_padded_token_label_is_accepted() -> None:
    transport = ScriptedTransport(
        [Step(SELECT_JPKI), Step(READ_TOKEN_BY_SHORT_EF_ID, b"JPKIAPICCTOKEN2".ljust(32, b"\x00"))]
    )
    MyNumberCard(transport).recognise()
    transport.done()


@pytest.mark.parametrize("refusal", [0x6A86, 0x6B00, 0x6986, 0x6D00])
def test_a_card_refusing_short_ef_ids_is_recognised_by_the_explicit_select(refusal: int) -> None:
    transport = ScriptedTransport(
        [
            Step(SELECT_JPKI),
            Step(READ_TOKEN_BY_SHORT_EF_ID, b"", refusal),
            Step(SELECT_TOKEN),
            Step(READ_TOKEN, TOKEN[:32]),
        ]
    )
    MyNumberCard(transport).recognise()
    transport.done()


def test_a_garbled_short_ef_id_answer_is_rechecked_explicitly() -> None:
    transport = ScriptedTransport(
        [
            Step(SELECT_JPKI),
            Step(READ_TOKEN_BY_SHORT_EF_ID, bytes(range(32))),
            Step(SELECT_TOKEN),
            Step(READ_TOKEN, TOKEN[:32]),
        ]
    )
    MyNumberCard(transport).recognise()
    transport.done()


def test_removal_at_every_apdu_raises_no_card_and_returns_nothing(files: Files) -> None:
    full = files.resident_steps()
    for index in range(len(full)):
        steps = [Step(s.command, s.data, s.sw) for s in full[: index + 1]]
        steps[index].removed = True
        with pytest.raises(NoCardError):
            MyNumberCard(ScriptedTransport(steps)).read_resident("1234", None, at=NOW)


def test_object_running_past_the_end_of_file_is_bad_response(files: Files) -> None:
    steps = files.resident_steps()
    at = next(i for i, s in enumerate(steps) if s.command == cmd("00 A4 02 0C 02 00 03"))
    steps[at + 1 :] = [
        Step(cmd("00 B0 01 00") + bytes([len(files.integrity_obj) - 256]), b"", 0x6B00)
    ]
    with pytest.raises(BadResponseError):
        MyNumberCard(ScriptedTransport(steps)).read_resident("1234", None, at=NOW)


def test_sign_with_auth_key_transcript(keys: builders.Keys, files: Files) -> None:
    digest = hashlib.sha256(b"filing bytes").digest()
    digest_info = SHA256_DIGEST_INFO_PREFIX + digest
    signature = keys.leaf.sign(b"filing bytes", padding.PKCS1v15(), hashes.SHA256())
    transport = ScriptedTransport(
        [
            *RECOGNISE,
            select(0x0018),
            Step(cmd("00 20 00 80 04 35 36 37 38")),
            select(0x0017),
            Step(cmd("80 2A 00 80 33") + digest_info + b"\x00", signature),
            select(0x000A),
            *reads(files.cert_file, len(files.cert)),
        ]
    )
    assert MyNumberCard(transport).sign_with_auth_key("5678", digest) == signature
    transport.done()


def test_a_signature_that_does_not_verify_is_refused(keys: builders.Keys, files: Files) -> None:
    digest = hashlib.sha256(b"filing bytes").digest()
    wrong = keys.other.sign(b"filing bytes", padding.PKCS1v15(), hashes.SHA256())
    transport = ScriptedTransport(
        [
            *RECOGNISE,
            select(0x0018),
            Step(cmd("00 20 00 80 04 35 36 37 38")),
            select(0x0017),
            Step(cmd("80 2A 00 80 33") + SHA256_DIGEST_INFO_PREFIX + digest + b"\x00", wrong),
        ]
    )
    with pytest.raises(BadResponseError):
        MyNumberCard(transport).sign_with_auth_key("5678", digest, certificate_der=files.cert)
    transport.done()


@pytest.mark.parametrize(
    ("session_class", "fid"),
    [
        (InputSupportSession, 0x0001),  # the My Number
        (JpkiSession, 0x0001),  # the signing certificate
        (JpkiSession, 0x001A),  # the signing key
        (JpkiSession, 0x0002),  # the signing CA certificate
    ],
)
def test_forbidden_files_are_refused_before_anything_is_sent(
    session_class: type[ApplicationSession], fid: int
) -> None:
    transport = ScriptedTransport([])
    session = session_class(CardProtocol(transport))
    with pytest.raises(FileNotAllowedError):
        session.read_object(fid)
    with pytest.raises(FileNotAllowedError):
        session.pin_tries(fid)
    assert transport.sent == []
