"""Printer configuration validation and the profile table (checked against python-escpos)."""

from __future__ import annotations

import pytest

from kiosk.hardware.printer.config import PrinterConfig, PrinterKind
from kiosk.hardware.printer.errors import PrinterConfigError
from kiosk.hardware.printer.escpos_adapter import profile_width_from_escpos
from kiosk.hardware.printer.profiles import PROFILES, get_profile


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_profile_widths_match_python_escpos_capabilities(name: str) -> None:
    assert PROFILES[name].width_dots == profile_width_from_escpos(name)


def test_widths_of_the_two_printer_classes() -> None:
    assert get_profile("TM-T20II").width_dots == 576
    assert get_profile("TM-T88V").width_dots == 512


def test_unknown_profile_is_a_config_error() -> None:
    with pytest.raises(PrinterConfigError) as info:
        get_profile("TM-XYZ")
    assert info.value.field == "profile" and info.value.code == "printer_config"


def test_usb_ids_accept_hex_strings() -> None:
    cfg = PrinterConfig.from_mapping(
        {"kind": "usb", "usb_vendor_id": "0x04b8", "usb_product_id": "0x0e15", "timeout_s": 3}
    )
    assert (cfg.kind, cfg.usb_vendor_id, cfg.usb_product_id, cfg.timeout_s) == (
        PrinterKind.USB, 0x04B8, 0x0E15, 3.0,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"kind": "laser"}, "kind"),
        ({}, "kind"),
        ({"kind": "network"}, "host"),
        ({"kind": "usb", "usb_vendor_id": 1208}, "usb_product_id"),
        ({"kind": "serial"}, "device"),
        ({"kind": "file"}, "path"),
        ({"kind": "network", "host": "p", "timeout_s": 0}, "timeout_s"),
        ({"kind": "network", "host": "p", "timeout_s": True}, "timeout_s"),
        ({"kind": "network", "host": "p", "port": "nine"}, "port"),
        ({"kind": "network", "host": "p", "port": -1}, "port"),
        ({"kind": "network", "host": 5}, "host"),
        ({"kind": "network", "host": "p", "colour": "red"}, "colour"),
    ],
)
def test_bad_config_names_the_field(raw: dict[str, object], field: str) -> None:
    with pytest.raises(PrinterConfigError) as info:
        PrinterConfig.from_mapping(raw)
    assert info.value.field == field
