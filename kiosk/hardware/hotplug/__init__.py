"""Hotplug of the kiosk's USB devices (card reader, receipt printer) and the state the UI shows.

``port`` holds the records, the source Protocol and the :class:`DeviceStateTracker`;
``classify`` decides what a USB device is; ``pyudev_adapter`` is the only pyudev import;
``simulator`` drives the same tracker without hardware.
"""

from __future__ import annotations

from kiosk.hardware.hotplug.port import (
    REQUIRED_KINDS,
    DeviceAction,
    DeviceEvent,
    DeviceInfo,
    DeviceKind,
    DeviceState,
    DeviceStateTracker,
    HotplugSource,
    ServiceStatus,
)

__all__ = [
    "REQUIRED_KINDS",
    "DeviceAction",
    "DeviceEvent",
    "DeviceInfo",
    "DeviceKind",
    "DeviceState",
    "DeviceStateTracker",
    "HotplugSource",
    "ServiceStatus",
]
