"""Run under ``umockdev-wrapper /usr/bin/python3``: the real pyudev adapter, fake USB devices.

Prints one JSON object per line: {"step": ..., "status": ..., "latency_s": ..., "devices": ...}.
Needs Debian's python3-gi + gir1.2-umockdev-1.0 (GI), and pyudev + the repo on PYTHONPATH.
"""

from __future__ import annotations

import json
import sys
import threading
import time

import gi

gi.require_version("UMockdev", "1.0")
from gi.repository import UMockdev  # noqa: E402

from kiosk.hardware.hotplug.monitor import start_tracking  # noqa: E402
from kiosk.hardware.hotplug.port import DeviceState  # noqa: E402
from kiosk.hardware.hotplug.pyudev_adapter import PyudevHotplugSource  # noqa: E402

READER_ATTRS = [
    "idVendor",
    "054c",
    "idProduct",
    "06c3",
    "bDeviceClass",
    "00",
    "product",
    "RC-S380/S",
]
READER_PROPS = [
    "DEVTYPE",
    "usb_device",
    "ID_VENDOR_ID",
    "054c",
    "ID_MODEL_ID",
    "06c3",
    "ID_USB_INTERFACES",
    ":ff0000:",
    "ID_MODEL",
    "RC-S380_S",
    "PRODUCT",
    "54c/6c3/110",
]
CCID_ATTRS = ["idVendor", "072f", "idProduct", "b100", "bDeviceClass", "00"]
CCID_PROPS = ["DEVTYPE", "usb_device", "ID_USB_INTERFACES", ":0b0000:", "PRODUCT", "72f/b100/100"]
PRINTER_ATTRS = [
    "idVendor",
    "04b8",
    "idProduct",
    "0e15",
    "bDeviceClass",
    "00",
    "product",
    "TM-T20II",
]
PRINTER_PROPS = [
    "DEVTYPE",
    "usb_device",
    "ID_VENDOR_ID",
    "04b8",
    "ID_MODEL_ID",
    "0e15",
    "ID_USB_INTERFACES",
    ":070102:",
    "ID_MODEL",
    "TM-T20II",
    "PRODUCT",
    "4b8/e15/100",
]
MOUSE_ATTRS = ["idVendor", "046d", "idProduct", "c077", "bDeviceClass", "00"]
MOUSE_PROPS = ["DEVTYPE", "usb_device", "ID_USB_INTERFACES", ":030102:", "PRODUCT", "46d/c077/7200"]
DEADLINE_S = 2.0


class Recorder:
    """Collects states from the tracker and waits for a condition with a deadline."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.state = DeviceState()

    def __call__(self, state: DeviceState) -> None:
        with self.cond:
            self.state = state
            self.cond.notify_all()

    def wait(self, predicate, timeout: float = DEADLINE_S + 1.0) -> DeviceState:  # type: ignore[no-untyped-def]
        with self.cond:
            self.cond.wait_for(lambda: predicate(self.state), timeout=timeout)
            return self.state


def emit(step: str, state: DeviceState, started: float | None) -> None:
    out = dict(state.as_dict())
    out["step"] = step
    out["latency_s"] = None if started is None else round(time.monotonic() - started, 4)
    print(json.dumps(out), flush=True)


def main() -> int:
    tb = UMockdev.Testbed.new()
    reader = tb.add_device("usb", "reader0", None, READER_ATTRS, READER_PROPS)
    printer = tb.add_device("usb", "printer0", None, PRINTER_ATTRS, PRINTER_PROPS)
    tb.add_device("usb", "mouse0", None, MOUSE_ATTRS, MOUSE_PROPS)

    source = PyudevHotplugSource()
    tracker = start_tracking(source)
    rec = Recorder()
    tracker.subscribe(rec)
    emit("initial", rec.state, None)

    t = time.monotonic()
    tb.uevent(reader, "remove")
    tb.remove_device(reader)
    emit("reader_removed", rec.wait(lambda s: not s.in_service), t)

    t = time.monotonic()
    reader = tb.add_device("usb", "reader0", None, READER_ATTRS, READER_PROPS)
    emit("reader_back", rec.wait(lambda s: s.in_service), t)

    t = time.monotonic()
    tb.uevent(printer, "remove")
    tb.remove_device(printer)
    emit("printer_removed", rec.wait(lambda s: not s.in_service), t)

    t = time.monotonic()
    tb.add_device("usb", "printer0", None, PRINTER_ATTRS, PRINTER_PROPS)
    emit("printer_back", rec.wait(lambda s: s.in_service), t)

    t = time.monotonic()
    tb.uevent(reader, "remove")
    tb.remove_device(reader)
    tb.add_device("usb", "ccid0", None, CCID_ATTRS, CCID_PROPS)
    emit(
        "ccid_reader_swapped_in",
        rec.wait(lambda s: any(d.usb_id == "072f:b100" for d in s.devices)),
        t,
    )

    source.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
