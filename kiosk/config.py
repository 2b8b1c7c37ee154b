"""Kiosk UI settings: the ``[kiosk]`` table of /etc/kiosk/kiosk.toml plus environment overrides."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError

DEFAULT_CONFIG_PATH = Path("/etc/kiosk/kiosk.toml")
ENV_CONFIG = "KIOSK_CONFIG"
ENV_PREFIX = "KIOSK_UI_"
#: the demo's staff PIN ("0000"); production configs must set their own hash
#: SHA-256 of "0000", the demo's staff PIN (a test checks the constant)
DEMO_STAFF_PIN_SHA256 = "9af15b336e6a9619928537df30b2e6a2376569fcf9d7e773eccede65606529a0"
#: what a municipality calls itself; the catalogs render each word per language (kiosk.i18n.ward)
WARD_WORDS = ("区", "市", "町", "村")


class KioskConfigError(KioskError):
    """The kiosk configuration is unreadable or has a bad value."""

    code = "bad_kiosk_config"

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


@dataclass(frozen=True, slots=True)
class KioskConfig:
    """Everything the UI process needs to know (devices, behaviour, accessibility)."""

    language: str = "ja"
    counter: str = "1"
    orientation: str = "landscape"  # or "portrait"
    idle_warning_s: float = 60.0
    idle_reset_s: float = 90.0
    card_removal_ends_visit: bool = True
    #: the "card was taken off" pause: seconds until the visit is wiped (card put back: resumes)
    card_removed_wipe_s: float = 30.0
    large_text: bool = False
    high_contrast: bool = False
    sounds: bool = False
    voice: bool = False  # spoken prompts per screen (kiosk.flows.voice), off by default
    voice_prompts: str = ""  # folder of <language>/<screen>.wav prompts
    voice_player: str = "aplay -q {file}"
    reader: str = "pcsc"  # "pcsc" or "sim"
    reader_name: str = ""  # substring of the PC/SC reader name
    staff_pin_sha256: str = DEMO_STAFF_PIN_SHA256
    master_path: str = ""
    trust_dir: str = ""
    printer: dict[str, Any] = field(default_factory=lambda: {"kind": "memory"})
    #: the municipality's word for itself (区, 市, 町 or 村): the catalogs' {ward} / {ward_office}
    ward: str = "区"
    #: the card procedures the ward offers: the card as 印鑑登録証 needs the ward's 条例 (off)
    seal_card_binding_enabled: bool = False
    honseki_registration_enabled: bool = True

    @property
    def size(self) -> tuple[int, int]:
        """Window size in pixels for the orientation."""
        return (800, 1280) if self.orientation == "portrait" else (1280, 800)

    def staff_pin_ok(self, pin: str) -> bool:
        """Compare a typed staff PIN with the configured hash."""
        import hashlib
        import hmac

        typed = hashlib.sha256(pin.encode("utf-8")).hexdigest()
        return hmac.compare_digest(typed, self.staff_pin_sha256)


_BOOLS = {f.name for f in fields(KioskConfig) if f.type == "bool"}
_FLOATS = {f.name for f in fields(KioskConfig) if f.type == "float"}
_STRS = {f.name for f in fields(KioskConfig) if f.type == "str"}


def _coerce(key: str, value: object) -> object:
    if key in _BOOLS:
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes", "on")
        if not isinstance(value, bool):
            raise KioskConfigError(key, "must be true or false")
        return value
    if key in _FLOATS:
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise KioskConfigError(key, "must be a number") from None
        if number <= 0:
            raise KioskConfigError(key, "must be positive")
        return number
    if key in _STRS:
        return str(value)
    if key == "printer":
        if not isinstance(value, dict):
            raise KioskConfigError(key, "must be a table")
        return value
    raise KioskConfigError(key, "unknown setting")


def load_config(
    path: Path | None = None, environ: dict[str, str] | None = None, **overrides: object
) -> KioskConfig:
    """``[kiosk]`` of the TOML file (missing = defaults), then ``KIOSK_UI_*``, then kwargs."""
    env = dict(os.environ) if environ is None else environ
    config_path = path or Path(env.get(ENV_CONFIG, str(DEFAULT_CONFIG_PATH)))
    raw: dict[str, Any] = {}
    try:
        fh = config_path.open("rb")
    except FileNotFoundError:
        table = {}
    except OSError as err:
        raise KioskConfigError(str(config_path), f"cannot read: {err}") from err
    else:
        import tomllib  # only with a file to parse (start-up time: the demo has none)

        try:
            with fh:
                table = tomllib.load(fh).get("kiosk", {})
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise KioskConfigError(str(config_path), f"cannot read: {err}") from err
    if not isinstance(table, dict):
        raise KioskConfigError("kiosk", "must be a table")
    raw.update(table)
    for name in {f.name for f in fields(KioskConfig)} - {"printer"}:
        value = env.get(ENV_PREFIX + name.upper())
        if value is not None:
            raw[name] = value
    raw.update(overrides)
    values: dict[str, Any] = {key: _coerce(key, value) for key, value in raw.items()}
    config = replace(KioskConfig(), **values)
    if config.idle_warning_s >= config.idle_reset_s:
        raise KioskConfigError("idle_warning_s", "must be shorter than idle_reset_s")
    if config.orientation not in ("landscape", "portrait"):
        raise KioskConfigError("orientation", "must be landscape or portrait")
    if config.ward not in WARD_WORDS:
        raise KioskConfigError("ward", "must be one of " + ", ".join(WARD_WORDS))
    return config
