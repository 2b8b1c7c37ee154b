"""A hotplug source without hardware: the demo, ``--sim`` and UI tests plug and unplug by hand."""

from __future__ import annotations

import threading

from kiosk.hardware.hotplug.port import (
    DeviceAction,
    DeviceEvent,
    DeviceInfo,
    DeviceKind,
    EventListener,
)

#: what the simulator plugs in by default: a Sony RC-S380 and an Epson TM-T20II
DEFAULT_DEVICES = (
    DeviceInfo(DeviceKind.READER, "sim-reader", "054c", "06c3", "RC-S380 (simulated)"),
    DeviceInfo(DeviceKind.PRINTER, "sim-printer", "04b8", "0e15", "TM-T20II (simulated)"),
)


class SimulatedHotplugSource:
    """Devices present in memory; ``plug``/``unplug`` deliver events on the caller's thread."""

    def __init__(self, devices: tuple[DeviceInfo, ...] = DEFAULT_DEVICES) -> None:
        self._lock = threading.Lock()
        self._devices = {d.device_id: d for d in devices}
        self._listener: EventListener | None = None

    def start(self, listener: EventListener) -> None:
        """Report the present devices, then forward every plug/unplug."""
        with self._lock:
            self._listener = listener
            present = list(self._devices.values())
        for device in present:
            listener(DeviceEvent(DeviceAction.ADDED, device))

    def stop(self) -> None:
        """Forget the listener."""
        with self._lock:
            self._listener = None

    def plug(self, device: DeviceInfo) -> None:
        """Simulate plugging ``device`` in."""
        with self._lock:
            self._devices[device.device_id] = device
            listener = self._listener
        if listener is not None:
            listener(DeviceEvent(DeviceAction.ADDED, device))

    def unplug(self, kind: DeviceKind) -> None:
        """Simulate pulling out every device of ``kind``."""
        with self._lock:
            gone = [d for d in self._devices.values() if d.kind is kind]
            for device in gone:
                del self._devices[device.device_id]
            listener = self._listener
        if listener is not None:
            for device in gone:
                listener(DeviceEvent(DeviceAction.REMOVED, device))

    def replug(self, kind: DeviceKind) -> None:
        """Plug the default device of ``kind`` back in."""
        for device in DEFAULT_DEVICES:
            if device.kind is kind:
                self.plug(device)
