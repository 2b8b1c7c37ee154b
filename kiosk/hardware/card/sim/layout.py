"""Assembles the applications of a simulated My Number card from an identity and the test PKI."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization

from kiosk.hardware.card.sim import constants as c
from kiosk.hardware.card.sim import files
from kiosk.hardware.card.sim.ber import tlv
from kiosk.hardware.card.sim.files import Corruption
from kiosk.hardware.card.sim.filesystem import (
    Application,
    BinaryFile,
    KeyFile,
    PinFile,
    RecordFile,
)
from kiosk.hardware.card.sim.identity import (
    AUTH_PIN_TRIES,
    SIGN_PASSWORD_TRIES,
    TEXT_PIN_TRIES,
    VERIFICATION_CODE_TRIES,
    Identity,
)
from kiosk.hardware.card.sim.pki import TestPki

SIGN_PASSWORD_MIN = 6
SIGN_PASSWORD_MAX = 16
VISUAL_CV_ISSUER_KEY_ID = b"6000023" + b"\x08\x05" + b"001" + bytes(4)
PNG_PLACEHOLDER = b"\x89PNG\r\n\x1a\n" + bytes(24)


@dataclass(frozen=True, slots=True)
class LayoutOptions:
    """What to put on the card (defaults = a genuine My Number card)."""

    corrupt: Corruption | None = None
    with_token: bool = True
    token_label: str = c.TOKEN_LABEL_MY_NUMBER


def build_applications(
    identity: Identity, pki: TestPki, options: LayoutOptions
) -> dict[c.App, Application]:
    """All applications of the card, keyed by ``App``."""
    return {
        c.App.JPKI: _jpki(identity, pki, options),
        c.App.TEXT: _text(identity, pki, options.corrupt),
        c.App.VISUAL: _visual(identity, pki),
        c.App.COMMON: _common(identity),
        c.App.JUKI: _juki(identity),
    }


def _der_file(fid: int, der: bytes, readable_with: frozenset[int] = frozenset()) -> BinaryFile:
    return BinaryFile(fid, files.pad(der), readable_with)


def _jpki(identity: Identity, pki: TestPki, options: LayoutOptions) -> Application:
    creds = pki.card(identity)
    der = serialization.Encoding.DER
    auth_cert = creds.auth_cert_der
    if options.corrupt is Corruption.AUTH_CERT_TRUNCATED:
        auth_cert = auth_cert[: len(auth_cert) // 2]
    app = Application(c.App.JPKI, c.AID_JPKI)
    app.add(
        _der_file(c.EF_JPKI_SIGN_CA, pki.sign_root.public_bytes(der)),
        BinaryFile(
            c.EF_JPKI_CERT_AVAILABILITY,
            files.cert_availability(sign=creds.sign_cert_der is not None),
        ),
        BinaryFile(c.EF_JPKI_AUTH_CERT, files.pad(auth_cert)),
        _der_file(c.EF_JPKI_AUTH_CA, pki.auth_root.public_bytes(der)),
        KeyFile(c.EF_JPKI_AUTH_KEY, creds.auth_key, frozenset({c.EF_JPKI_AUTH_PIN})),
        PinFile(
            c.EF_JPKI_AUTH_PIN,
            identity.pins.auth.encode("ascii"),
            AUTH_PIN_TRIES,
            identity.tries_left.auth,
        ),
        KeyFile(c.EF_JPKI_SIGN_KEY, creds.sign_key, frozenset({c.EF_JPKI_SIGN_PIN})),
        PinFile(
            c.EF_JPKI_SIGN_PIN,
            identity.pins.sign.encode("ascii"),
            SIGN_PASSWORD_TRIES,
            identity.tries_left.sign,
            min_length=SIGN_PASSWORD_MIN,
            max_length=SIGN_PASSWORD_MAX,
            digits_only=False,
        ),
    )
    if creds.sign_cert_der is not None:
        app.add(
            _der_file(c.EF_JPKI_SIGN_CERT, creds.sign_cert_der, frozenset({c.EF_JPKI_SIGN_PIN}))
        )
    if options.with_token:
        app.add(BinaryFile(c.EF_JPKI_TOKEN, files.token_info(options.token_label)))
    return app


def _text(identity: Identity, pki: TestPki, corrupt: Corruption | None) -> Application:
    creds = pki.card(identity)
    my_number = files.my_number_file(identity)
    basic4_obj = files.basic4_object(identity, corrupt)
    pin, code_a, code_b = c.EF_TEXT_PIN, c.EF_TEXT_CODE_A, c.EF_TEXT_CODE_B
    app = Application(c.App.TEXT, c.AID_TEXT, default_key=0x0013)
    app.add(
        BinaryFile(c.EF_TEXT_MY_NUMBER, my_number, frozenset({pin, code_a})),
        BinaryFile(
            c.EF_TEXT_BASIC4, files.basic4_file(identity, corrupt), frozenset({pin, code_b})
        ),
        BinaryFile(
            c.EF_TEXT_INTEGRITY,
            files.integrity_file(my_number, basic4_obj, creds.text_ap_key, corrupt),
            frozenset({pin, code_a, code_b}),
        ),
        BinaryFile(
            c.EF_TEXT_CV_CERT,
            files.cv_certificate(
                pki.cv_issuer_key,
                pki.cv_issuer_key_id,
                creds.text_ap_key_id,
                creds.text_ap_key.public_key(),
                corrupt,
            ),
        ),
        BinaryFile(c.EF_TEXT_AP_INFO, files.ap_basic_info(creds.text_ap_key_id)),
        KeyFile(0x0013, creds.text_ap_key),
        PinFile(pin, identity.pins.text.encode("ascii"), TEXT_PIN_TRIES, identity.tries_left.text),
        PinFile(
            code_a,
            identity.my_number.encode("ascii"),
            VERIFICATION_CODE_TRIES,
            VERIFICATION_CODE_TRIES,
            min_length=12,
            max_length=12,
        ),
        PinFile(
            code_b,
            identity.verification_code_b.encode("ascii"),
            VERIFICATION_CODE_TRIES,
            VERIFICATION_CODE_TRIES,
            min_length=14,
            max_length=14,
        ),
    )
    return app


def _visual(identity: Identity, pki: TestPki) -> Application:
    """The card-face AP, minimal: enough to SELECT it and read its basic info and CV cert."""
    creds = pki.card(identity)
    birth = identity.birth_date.strftime("%Y%m%d").encode("ascii")
    face = tlv(
        b"\xff\x20",
        tlv(b"\xdf\x22", birth)
        + tlv(b"\xdf\x23", str(int(identity.sex)).encode("ascii"))
        + tlv(b"\xdf\x25", PNG_PLACEHOLDER)
        + tlv(b"\xdf\x26", PNG_PLACEHOLDER)
        + tlv(b"\xdf\x29", identity.card_expiry.strftime("%Y%m%d").encode("ascii")),
    )
    info = tlv(
        b"\xff\x30",
        tlv(b"\xdf\x31", files.AP_INFO_VERSION)
        + tlv(b"\xdf\x32", creds.text_ap_key_id)
        + tlv(b"\xdf\x33", b"\x01")
        + tlv(b"\xdf\x34", identity.municipality_code.encode("ascii")),
    )
    code_a, code_b, birth_key = c.EF_VISUAL_CODE_A, c.EF_VISUAL_CODE_B, c.EF_VISUAL_BIRTH_KEY
    app = Application(c.App.VISUAL, c.AID_VISUAL)
    app.add(
        BinaryFile(
            c.EF_VISUAL_AGE,
            files.pad(tlv(b"\xff\x10", tlv(b"\xdf\x11", birth))),
            frozenset({birth_key}),
        ),
        BinaryFile(c.EF_VISUAL_FACE, files.pad(face), frozenset({code_a, code_b})),
        BinaryFile(c.EF_VISUAL_AP_INFO, files.pad(info)),
        BinaryFile(
            c.EF_VISUAL_CV_CERT,
            files.cv_certificate(
                pki.cv_issuer_key,
                VISUAL_CV_ISSUER_KEY_ID,
                creds.text_ap_key_id,
                creds.text_ap_key.public_key(),
            ),
        ),
        BinaryFile(
            c.EF_VISUAL_MY_NUMBER_IMAGE,
            files.pad(tlv(b"\xff\x40", tlv(b"\xdf\x41", PNG_PLACEHOLDER))),
            frozenset({code_a}),
        ),
        PinFile(
            birth_key,
            identity.birth_date_key.encode("ascii"),
            VERIFICATION_CODE_TRIES,
            VERIFICATION_CODE_TRIES,
            min_length=6,
            max_length=6,
        ),
        PinFile(
            code_b,
            identity.verification_code_b.encode("ascii"),
            VERIFICATION_CODE_TRIES,
            VERIFICATION_CODE_TRIES,
            min_length=14,
            max_length=14,
        ),
        PinFile(
            code_a,
            identity.my_number.encode("ascii"),
            VERIFICATION_CODE_TRIES,
            VERIFICATION_CODE_TRIES,
            min_length=12,
            max_length=12,
        ),
    )
    return app


def _common(identity: Identity) -> Application:
    app = Application(c.App.COMMON, c.AID_COMMON)
    app.add(
        RecordFile(c.EF_COMMON_RECORD, (files.common_record(identity),)),
        BinaryFile(0x0002, bytes(16)),
        PinFile(c.EF_COMMON_PIN, identity.pins.auth.encode("ascii"), 3, 3),
    )
    return app


def _juki(identity: Identity) -> Application:
    app = Application(c.App.JUKI, c.AID_JUKI)
    app.add(
        BinaryFile(0x0002, bytes(16)),
        PinFile(c.EF_COMMON_PIN, identity.pins.auth.encode("ascii"), 3, 3),
    )
    return app
