"""Wire a hotplug source to a tracker: what the app calls at start-up."""

from __future__ import annotations

from kiosk.hardware.hotplug.port import DeviceStateTracker, HotplugSource


def start_tracking(
    source: HotplugSource, tracker: DeviceStateTracker | None = None
) -> DeviceStateTracker:
    """Start ``source`` feeding ``tracker`` (a new one by default) and mark it started."""
    tracker = tracker if tracker is not None else DeviceStateTracker()
    source.start(tracker.handle)
    tracker.mark_started()
    return tracker


def default_source() -> HotplugSource:
    """The production source (udev); imported lazily so tests need no pyudev."""
    from kiosk.hardware.hotplug.pyudev_adapter import PyudevHotplugSource

    return PyudevHotplugSource()
