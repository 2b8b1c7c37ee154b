"""The hotplug port: device events in, a :class:`DeviceState` snapshot out.

A :class:`HotplugSource` reports the devices already present as ``ADDED`` events when it starts
and every later change as it happens. :class:`DeviceStateTracker` folds those events into an
immutable :class:`DeviceState` and hands each new state to its subscribers. Callbacks run on the
source's thread: a Kivy UI must hop to its main thread (``Clock.schedule_once``) before it
touches a widget.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


class DeviceKind(enum.Enum):
    """What a kiosk device is for."""

    READER = "reader"
    PRINTER = "printer"


class DeviceAction(enum.Enum):
    """What happened to a device."""

    ADDED = "added"
    REMOVED = "removed"


class ServiceStatus(enum.Enum):
    """Whether the kiosk can serve residents with the devices it has."""

    IN_SERVICE = "in_service"
    OUT_OF_SERVICE = "out_of_service"


#: devices without which the kiosk shows "out of service" (故障中)
REQUIRED_KINDS: frozenset[DeviceKind] = frozenset({DeviceKind.READER, DeviceKind.PRINTER})


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """One USB device the kiosk uses (no personal data: ids and the model name only)."""

    kind: DeviceKind
    device_id: str
    vendor_id: str = ""
    product_id: str = ""
    name: str = ""

    @property
    def usb_id(self) -> str:
        """``vvvv:pppp`` as lsusb prints it."""
        return f"{self.vendor_id}:{self.product_id}"


@dataclass(frozen=True, slots=True)
class DeviceEvent:
    """A device was plugged in or removed; ``at`` is ``time.monotonic()`` at detection."""

    action: DeviceAction
    device: DeviceInfo
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True, slots=True)
class DeviceState:
    """Which kiosk devices are present now: what the UI and the maintenance screen bind to."""

    devices: tuple[DeviceInfo, ...] = ()
    changed_at: float = 0.0
    started: bool = False

    def present(self, kind: DeviceKind) -> tuple[DeviceInfo, ...]:
        """The devices of ``kind`` that are plugged in."""
        return tuple(d for d in self.devices if d.kind is kind)

    @property
    def missing(self) -> frozenset[DeviceKind]:
        """Required kinds with no device present."""
        return frozenset(k for k in REQUIRED_KINDS if not self.present(k))

    @property
    def status(self) -> ServiceStatus:
        """Out of service until the source has started and while a required device is missing."""
        if not self.started or self.missing:
            return ServiceStatus.OUT_OF_SERVICE
        return ServiceStatus.IN_SERVICE

    @property
    def in_service(self) -> bool:
        """Shorthand for ``status is IN_SERVICE``."""
        return self.status is ServiceStatus.IN_SERVICE

    def as_dict(self) -> dict[str, object]:
        """A JSON-friendly view (diagnose --json, the maintenance screen)."""
        return {
            "status": self.status.value,
            "missing": sorted(k.value for k in self.missing),
            "devices": [
                {"kind": d.kind.value, "id": d.device_id, "usb_id": d.usb_id, "name": d.name}
                for d in self.devices
            ],
        }


StateListener = Callable[[DeviceState], None]
EventListener = Callable[[DeviceEvent], None]


class HotplugSource(Protocol):
    """Reports kiosk devices: the present ones as ADDED on ``start``, then every change."""

    def start(self, listener: EventListener) -> None:
        """Begin delivering events to ``listener`` (from the source's own thread)."""

    def stop(self) -> None:
        """Stop delivering events; returns when no further callback will run."""


class DeviceStateTracker:
    """Folds device events into :class:`DeviceState` and notifies subscribers of every change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._devices: dict[str, DeviceInfo] = {}
        self._state = DeviceState()
        self._listeners: list[StateListener] = []

    @property
    def state(self) -> DeviceState:
        """The current snapshot."""
        with self._lock:
            return self._state

    def subscribe(self, listener: StateListener) -> Callable[[], None]:
        """Call ``listener`` now and after each change; returns an unsubscribe function."""
        with self._lock:
            self._listeners.append(listener)
            state = self._state
        listener(state)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def mark_started(self) -> None:
        """The source has reported its initial snapshot: the state becomes meaningful."""
        self._publish(lambda: None, started=True)

    def handle(self, event: DeviceEvent) -> None:
        """Apply one event (the HotplugSource listener)."""

        def apply() -> None:
            if event.action is DeviceAction.ADDED:
                self._devices[event.device.device_id] = event.device
            else:
                self._devices.pop(event.device.device_id, None)

        self._publish(apply, at=event.at)

    def _publish(
        self, change: Callable[[], None], *, at: float | None = None, started: bool | None = None
    ) -> None:
        with self._lock:
            change()
            state = DeviceState(
                devices=tuple(sorted(self._devices.values(), key=lambda d: d.device_id)),
                changed_at=time.monotonic() if at is None else at,
                started=self._state.started if started is None else started,
            )
            if (state.devices, state.started) == (self._state.devices, self._state.started):
                return  # nothing the UI shows has changed
            self._state = state
            listeners = list(self._listeners)
        for listener in listeners:
            listener(state)
