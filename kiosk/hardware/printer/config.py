"""Printer configuration: which transport, where, which profile, and the I/O timeout."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.hardware.printer.errors import PrinterConfigError
from kiosk.hardware.printer.profiles import DEFAULT_PROFILE, PrinterProfile, get_profile

DEFAULT_TIMEOUT_S = 5.0
DEFAULT_NETWORK_PORT = 9100
DEFAULT_BAUDRATE = 38400
#: usual Epson endpoints; check with ``lsusb -v`` (some models use 0x81/0x02)
DEFAULT_USB_IN_EP = 0x82
DEFAULT_USB_OUT_EP = 0x01


class PrinterKind(enum.Enum):
    """How the printer is reached."""

    USB = "usb"
    NETWORK = "network"
    SERIAL = "serial"
    FILE = "file"
    MEMORY = "memory"
    FOLDER = "folder"


@dataclass(frozen=True, slots=True)
class PrinterConfig:
    """One printer's settings; build it with :meth:`from_mapping` from TOML/JSON config."""

    kind: PrinterKind
    profile: PrinterProfile = DEFAULT_PROFILE
    timeout_s: float = DEFAULT_TIMEOUT_S
    usb_vendor_id: int | None = None
    usb_product_id: int | None = None
    usb_in_ep: int = DEFAULT_USB_IN_EP
    usb_out_ep: int = DEFAULT_USB_OUT_EP
    host: str = ""
    port: int = DEFAULT_NETWORK_PORT
    device: str = ""
    baudrate: int = DEFAULT_BAUDRATE
    path: str = ""

    @classmethod
    def from_mapping(cls, raw: Mapping[str, object]) -> PrinterConfig:
        """Validate a config table, e.g. ``{"kind": "network", "host": "10.0.0.5"}``."""
        known = {
            "kind", "profile", "timeout_s", "usb_vendor_id", "usb_product_id", "usb_in_ep",
            "usb_out_ep", "host", "port", "device", "baudrate", "path",
        }  # fmt: skip
        extra = sorted(set(raw) - known)
        if extra:
            raise PrinterConfigError(extra[0], "unknown setting")
        try:
            kind = PrinterKind(str(raw.get("kind", "")))
        except ValueError:
            choices = ", ".join(k.value for k in PrinterKind)
            raise PrinterConfigError("kind", f"must be one of {choices}") from None
        profile = get_profile(_str(raw, "profile", DEFAULT_PROFILE.name))
        timeout = raw.get("timeout_s", DEFAULT_TIMEOUT_S)
        if (
            isinstance(timeout, bool)
            or not isinstance(timeout, int | float)
            or not 0 < timeout <= 120
        ):
            raise PrinterConfigError("timeout_s", "must be a number of seconds in (0, 120]")
        cfg = cls(
            kind=kind,
            profile=profile,
            timeout_s=float(timeout),
            usb_vendor_id=_opt_int(raw, "usb_vendor_id"),
            usb_product_id=_opt_int(raw, "usb_product_id"),
            usb_in_ep=_int(raw, "usb_in_ep", DEFAULT_USB_IN_EP),
            usb_out_ep=_int(raw, "usb_out_ep", DEFAULT_USB_OUT_EP),
            host=_str(raw, "host", ""),
            port=_int(raw, "port", DEFAULT_NETWORK_PORT),
            device=_str(raw, "device", ""),
            baudrate=_int(raw, "baudrate", DEFAULT_BAUDRATE),
            path=_str(raw, "path", ""),
        )
        required = {
            PrinterKind.USB: ("usb_vendor_id", cfg.usb_vendor_id),
            PrinterKind.NETWORK: ("host", cfg.host),
            PrinterKind.SERIAL: ("device", cfg.device),
            PrinterKind.FILE: ("path", cfg.path),
            PrinterKind.FOLDER: ("path", cfg.path),
        }
        if kind in required and not required[kind][1]:
            raise PrinterConfigError(required[kind][0], f"required for kind {kind.value}")
        if kind is PrinterKind.USB and cfg.usb_product_id is None:
            raise PrinterConfigError("usb_product_id", "required for kind usb")
        return cfg


def _str(raw: Mapping[str, object], key: str, default: str) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str):
        raise PrinterConfigError(key, "must be a string")
    return value


def _int(raw: Mapping[str, object], key: str, default: int) -> int:
    value = _opt_int(raw, key)
    return default if value is None else value


def _opt_int(raw: Mapping[str, object], key: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = int(value, 0)  # "0x04b8" is how USB ids are written
        except ValueError:
            raise PrinterConfigError(key, "must be an integer") from None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PrinterConfigError(key, "must be a non-negative integer")
    return value
