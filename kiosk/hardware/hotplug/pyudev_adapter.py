"""The only module that imports pyudev: USB hotplug from udev's netlink monitor.

Race-free start: the monitor is started first, then the devices already present are enumerated
and reported as ADDED, then the monitor's queue is drained on a worker thread. Removals are
matched by sysfs path against what was reported, because a remove event may lack the
properties the device was classified by.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

import pyudev

from kiosk.hardware.hotplug.classify import PROP_MODEL, classify, usb_ids
from kiosk.hardware.hotplug.port import DeviceAction, DeviceEvent, DeviceInfo, EventListener

log = logging.getLogger(__name__)

SUBSYSTEM_USB = "usb"
DEVTYPE_USB_DEVICE = "usb_device"
#: how often the worker thread checks for stop (events themselves arrive at once)
POLL_TIMEOUT_S = 0.25
ACTIONS_ADDED = frozenset({"add", "bind"})
ACTIONS_REMOVED = frozenset({"remove", "unbind"})


def _properties(device: Any) -> dict[str, str]:
    """udev properties plus the sysfs ids, as plain strings."""
    props = {str(k): str(v) for k, v in dict(device.properties).items()}
    for attr, key in (("idVendor", "ID_VENDOR_ID"), ("idProduct", PROP_MODEL)):
        if key not in props:
            try:
                value = device.attributes.asstring(attr)
            except (KeyError, UnicodeDecodeError, OSError):
                continue
            props[key] = value.strip()
    return props


def _info(device_id: str, props: Mapping[str, str]) -> DeviceInfo | None:
    kind = classify(props)
    if kind is None:
        return None
    vid, pid = usb_ids(props)
    name = props.get("ID_MODEL_FROM_DATABASE") or props.get("ID_MODEL", "")
    return DeviceInfo(kind=kind, device_id=device_id, vendor_id=vid, product_id=pid, name=name)


class PyudevHotplugSource:
    """A :class:`~kiosk.hardware.hotplug.port.HotplugSource` over udev (``source='udev'``)."""

    def __init__(self, context: Any | None = None) -> None:
        self._context = context
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._known: dict[str, DeviceInfo] = {}

    def start(self, listener: EventListener) -> None:
        """Start the monitor, report present devices, then follow changes on a thread."""
        if self._thread is not None:
            raise RuntimeError("hotplug source already started")
        context = self._context if self._context is not None else pyudev.Context()
        monitor = pyudev.Monitor.from_netlink(context, source="udev")
        monitor.filter_by(SUBSYSTEM_USB, device_type=DEVTYPE_USB_DEVICE)
        monitor.start()
        for device in context.list_devices(subsystem=SUBSYSTEM_USB, DEVTYPE=DEVTYPE_USB_DEVICE):
            self._report("add", device, listener)
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(monitor, listener), name="kiosk-hotplug", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop the worker thread and wait for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self, monitor: Any, listener: EventListener) -> None:
        while not self._stop.is_set():
            try:
                device = monitor.poll(timeout=POLL_TIMEOUT_S)
            except OSError as err:  # the netlink socket failed: log and keep trying
                log.warning("udev monitor poll failed: %s", err)
                self._stop.wait(1.0)
                continue
            if device is None:
                continue
            try:
                self._report(str(device.action or ""), device, listener)
            except Exception:  # a bad device or listener must not end hotplug for good
                log.exception("hotplug event handling failed; continuing")

    def _report(self, action: str, device: Any, listener: EventListener) -> None:
        device_id = str(device.sys_path)
        if action in ACTIONS_REMOVED:
            info = self._known.pop(device_id, None)
            if info is not None:
                log.info("%s removed: %s", info.kind.value, info.usb_id)
                listener(DeviceEvent(DeviceAction.REMOVED, info))
            return
        if action not in ACTIONS_ADDED or device_id in self._known:
            return
        info = _info(device_id, _properties(device))
        if info is None:
            return
        self._known[device_id] = info
        log.info("%s added: %s", info.kind.value, info.usb_id)
        listener(DeviceEvent(DeviceAction.ADDED, info))


def enumerate_devices(context: Any | None = None) -> list[DeviceInfo]:
    """The kiosk devices present now (one-shot, no monitor): for diagnose and the demo."""
    context = context if context is not None else pyudev.Context()
    out = []
    for device in context.list_devices(subsystem=SUBSYSTEM_USB, DEVTYPE=DEVTYPE_USB_DEVICE):
        info = _info(str(device.sys_path), _properties(device))
        if info is not None:
            out.append(info)
    return out
