"""Decide whether a USB device is the kiosk's card reader or receipt printer (pure logic).

Input is the udev property map of a ``usb_device``. The kiosk's udev rule sets
``KIOSK_ROLE``; without it (no rule, tests) the USB interface classes and known vendor/product
ids decide, mirroring ``systemd/udev/70-kiosk.rules``.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.hardware.hotplug.port import DeviceKind

#: USB interface class codes (usb.org "defined class codes")
USB_CLASS_PRINTER = 0x07
USB_CLASS_SMART_CARD = 0x0B
USB_CLASS_VENDOR = 0xFF

#: vendor ids
VID_EPSON = "04b8"
VID_SONY = "054c"
VID_SCM = "04e6"
VID_ACS = "072f"

#: Sony RC-S380 / RC-S380-S product ids
SONY_READER_PIDS = frozenset({"06c1", "06c3"})
#: reader vendors that ship CCID or vendor-class readers
READER_VENDORS = frozenset({VID_SCM, VID_ACS})

PROP_ROLE = "KIOSK_ROLE"
PROP_VENDOR = "ID_VENDOR_ID"
PROP_MODEL = "ID_MODEL_ID"
PROP_INTERFACES = "ID_USB_INTERFACES"
PROP_PRODUCT = "PRODUCT"  # kernel uevent: "vid/pid/bcd" in hex without leading zeros


def interface_classes(interfaces: str) -> frozenset[int]:
    """Class codes from udev's ``ID_USB_INTERFACES`` (``:0b0000:070102:`` → {0x0b, 0x07})."""
    out = set()
    for part in interfaces.split(":"):
        if len(part) == 6:
            try:
                out.add(int(part[:2], 16))
            except ValueError:
                continue
    return frozenset(out)


def usb_ids(props: Mapping[str, str]) -> tuple[str, str]:
    """Vendor and product id as 4 lower-case hex digits, from udev or the kernel's PRODUCT."""
    vid = props.get(PROP_VENDOR, "").lower()
    pid = props.get(PROP_MODEL, "").lower()
    if (not vid or not pid) and props.get(PROP_PRODUCT):
        fields = props[PROP_PRODUCT].split("/")
        if len(fields) >= 2:
            vid = vid or fields[0].lower().zfill(4)
            pid = pid or fields[1].lower().zfill(4)
    return vid, pid


def classify(props: Mapping[str, str]) -> DeviceKind | None:
    """The kiosk role of a USB device, or None if the kiosk does not care about it."""
    role = props.get(PROP_ROLE, "")
    for kind in DeviceKind:
        if role == kind.value:
            return kind
    classes = interface_classes(props.get(PROP_INTERFACES, ""))
    vid, pid = usb_ids(props)
    if USB_CLASS_SMART_CARD in classes:
        return DeviceKind.READER
    if vid == VID_SONY and pid in SONY_READER_PIDS:
        return DeviceKind.READER
    if vid in READER_VENDORS and USB_CLASS_VENDOR in classes:
        return DeviceKind.READER
    if USB_CLASS_PRINTER in classes or vid == VID_EPSON:
        return DeviceKind.PRINTER
    return None
