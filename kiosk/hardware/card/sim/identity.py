"""Card holders of the simulated card, loaded from JSON files (see ``examples/cards/``)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError

#: weights of the My Number check digit, applied to digits 1..11 left to right (§5.2)
MY_NUMBER_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
MY_NUMBER_DIGITS = 12

TEXT_PIN_TRIES = 3
AUTH_PIN_TRIES = 3
SIGN_PASSWORD_TRIES = 5
VERIFICATION_CODE_TRIES = 10  # 照合番号A/B and the birth-date key: UNVERIFIED (§12)

#: EF 0002's capacity assumed by the simulator (and the reader's APDU budget): the card format's
#: field limits are not documented (card-protocol.md §12) — two short reads hold the FF20 object
BASIC4_MAX_OBJECT_BYTES = 512
MAX_TEXT_SIGNER = 9

REPO_ROOT = Path(__file__).resolve().parents[4]
EXAMPLES_DIR = REPO_ROOT / "examples" / "cards"

CARD_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
KNOWN_KEYS = frozenset(
    {
        "id", "description", "name", "address", "birth_date", "sex", "my_number", "pins",
        "tries_left", "card_issued", "card_expiry", "cert_valid_from", "cert_valid_until",
        "security_code", "municipality_code", "locality_romaji", "prefecture_romaji",
        "name_substitute", "address_substitute", "has_sign_cert", "text_signer",
    }
)  # fmt: skip

# Japanese eras: (first day, name, era code used in the signing certificate)
_ERAS: tuple[tuple[dt.date, str, int], ...] = (
    (dt.date(2019, 5, 1), "令和", 5),
    (dt.date(1989, 1, 8), "平成", 4),
    (dt.date(1926, 12, 25), "昭和", 3),
    (dt.date(1912, 7, 30), "大正", 2),
    (dt.date(1868, 1, 25), "明治", 1),
)


class IdentityError(KioskError):
    """An identity file is missing or malformed."""

    code = "bad_identity"

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class Sex(IntEnum):
    """性別 codes of the 基本4情報 (JIS X 0303 style)."""

    MALE = 1
    FEMALE = 2
    NOT_APPLICABLE = 9


def my_number_check_digit(first_eleven: str) -> int:
    """The check digit of a 12-digit individual number (card-protocol.md §5.2)."""
    r = sum(int(d) * w for d, w in zip(first_eleven, MY_NUMBER_WEIGHTS, strict=True)) % 11
    return 0 if r <= 1 else 11 - r


def is_valid_my_number(number: str) -> bool:
    """True for 12 ASCII digits with a correct check digit."""
    return (
        len(number) == MY_NUMBER_DIGITS
        and number.isascii()
        and number.isdigit()
        and my_number_check_digit(number[:11]) == int(number[11])
    )


def era_of(day: dt.date) -> tuple[str, int, int]:
    """(era name, era year, era code) of a Gregorian date."""
    for start, name, code in _ERAS:
        if day >= start:
            return name, day.year - start.year + 1, code
    raise ValueError(f"{day} is before the Meiji era")


def era_yymmdd(day: dt.date) -> str:
    """The Japanese-era ``YYMMDD`` form used by 照合番号B and the birth-date key."""
    _, year, _ = era_of(day)
    return f"{year:02d}{day.month:02d}{day.day:02d}"


@dataclass(frozen=True, slots=True)
class Pins:
    """The secrets of one card (test data only)."""

    text: str = "1234"
    auth: str = "1234"
    sign: str = "ABC123"


@dataclass(frozen=True, slots=True)
class TriesLeft:
    """Remaining tries per PIN when the card is inserted (0 = blocked)."""

    text: int = TEXT_PIN_TRIES
    auth: int = AUTH_PIN_TRIES
    sign: int = SIGN_PASSWORD_TRIES


@dataclass(frozen=True, slots=True)
class Identity:
    """One simulated card holder: the 基本4情報, secrets, and card/certificate validity."""

    card_id: str
    name: str
    address: str
    birth_date: dt.date
    sex: Sex
    my_number: str
    pins: Pins = field(default_factory=Pins)
    tries_left: TriesLeft = field(default_factory=TriesLeft)
    card_issued: dt.date = dt.date(2025, 6, 1)
    card_expiry: dt.date = dt.date(2035, 6, 1)
    cert_valid_from: dt.date = dt.date(2025, 6, 1)
    cert_valid_until: dt.date = dt.date(2030, 6, 1)
    security_code: str = "1234"
    municipality_code: str = "13104"
    locality_romaji: str = "Shinjuku-ku"
    prefecture_romaji: str = "Tokyo"
    name_substitute: str | None = None
    address_substitute: str | None = None
    has_sign_cert: bool = True
    #: generation of the J-LIS key that signs EF 0003 (cards of one generation share its CV cert)
    text_signer: int = 1

    @classmethod
    def load(cls, path: Path | str) -> Identity:
        """Read an identity JSON file; raises ``IdentityError`` with the reason when malformed."""
        p = Path(path)
        try:
            raw = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError as err:
            raise IdentityError(p, "file not found") from err
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise IdentityError(p, f"not a JSON file ({err})") from err
        if not isinstance(raw, dict):
            raise IdentityError(p, "top level must be an object")
        try:
            return cls.from_dict(raw, default_id=p.stem)
        except (KeyError, TypeError, ValueError) as err:
            raise IdentityError(p, f"bad field: {err}") from err

    @classmethod
    def from_dict(cls, raw: dict[str, Any], *, default_id: str = "card") -> Identity:
        """Build from a decoded JSON object (raises KeyError/TypeError/ValueError)."""
        unknown = set(raw) - KNOWN_KEYS
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)}")
        pins = Pins(**raw.get("pins", {}))
        tries = TriesLeft(**raw.get("tries_left", {}))
        kwargs: dict[str, Any] = {
            "card_id": str(raw.get("id", default_id)),
            "name": _text(raw, "name"),
            "address": _text(raw, "address"),
            "birth_date": dt.date.fromisoformat(_text(raw, "birth_date")),
            "sex": Sex(int(raw["sex"])),
            "my_number": _text(raw, "my_number"),
            "pins": pins,
            "tries_left": tries,
            "has_sign_cert": bool(raw.get("has_sign_cert", True)),
            "text_signer": int(raw.get("text_signer", 1)),
        }
        kwargs.update(_optional_dates(raw))
        kwargs.update(_optional_texts(raw))
        identity = cls(**kwargs)
        identity.validate()
        return identity

    def validate(self) -> None:
        """Raise ValueError if a field is outside what a real card could hold."""
        if not CARD_ID.fullmatch(self.card_id):
            raise ValueError("id must be 1-64 letters, digits, '_' or '-'")
        if not is_valid_my_number(self.my_number):
            raise ValueError("my_number must be 12 digits with a valid check digit")
        for label, pin, lo, hi in (("text", self.pins.text, 4, 4), ("auth", self.pins.auth, 4, 4)):
            if not (lo <= len(pin) <= hi and pin.isascii() and pin.isdigit()):
                raise ValueError(f"{label} PIN must be 4 digits")
        sign = self.pins.sign
        if not (
            6 <= len(sign) <= 16 and sign.isascii() and sign.isalnum() and sign.upper() == sign
        ):
            raise ValueError("sign password must be 6-16 upper-case letters/digits")
        for label, n, hi in (
            ("text", self.tries_left.text, TEXT_PIN_TRIES),
            ("auth", self.tries_left.auth, AUTH_PIN_TRIES),
            ("sign", self.tries_left.sign, SIGN_PASSWORD_TRIES),
        ):
            if not 0 <= n <= hi:
                raise ValueError(f"tries_left.{label} must be 0..{hi}")
        if not (len(self.security_code) == 4 and self.security_code.isdigit()):
            raise ValueError("security_code must be 4 digits")
        if not 1 <= self.text_signer <= MAX_TEXT_SIGNER:
            raise ValueError(f"text_signer must be 1..{MAX_TEXT_SIGNER}")
        from kiosk.hardware.card.sim.files import basic4_object  # files imports this module

        size = len(basic4_object(self))
        if size > BASIC4_MAX_OBJECT_BYTES:
            raise ValueError(
                f"name and address need {size} bytes in EF 0002, more than the"
                f" {BASIC4_MAX_OBJECT_BYTES} the card format holds"
            )

    @property
    def verification_code_b(self) -> str:
        """照合番号B: era YYMMDD of the birth date + expiry year + security code (§3.2)."""
        return f"{era_yymmdd(self.birth_date)}{self.card_expiry.year:04d}{self.security_code}"

    @property
    def birth_date_key(self) -> str:
        """The card-face AP's birth-date key (era YYMMDD)."""
        return era_yymmdd(self.birth_date)


def example_path(name: str) -> Path:
    """Path of ``examples/cards/<name>.json``."""
    return EXAMPLES_DIR / f"{name}.json"


def resolve(identity: str | Path) -> Path:
    """Accept an example name (``"yamada"``) or a path to a JSON file."""
    p = Path(identity)
    if p.suffix == ".json" or p.exists():
        return p
    return example_path(str(identity))


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value:
        raise TypeError(f"{key} must be a non-empty string")
    return value


def _optional_dates(raw: dict[str, Any]) -> dict[str, dt.date]:
    keys = ("card_issued", "card_expiry", "cert_valid_from", "cert_valid_until")
    return {k: dt.date.fromisoformat(_text(raw, k)) for k in keys if k in raw}


def _optional_texts(raw: dict[str, Any]) -> dict[str, str]:
    keys = (
        "security_code",
        "municipality_code",
        "locality_romaji",
        "prefecture_romaji",
        "name_substitute",
        "address_substitute",
    )
    return {k: _text(raw, k) for k in keys if k in raw}
