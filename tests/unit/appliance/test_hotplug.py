"""Pure hotplug logic: classification table, the state tracker and the simulator."""

from __future__ import annotations

import pytest

from kiosk.hardware.hotplug import DeviceKind, DeviceStateTracker, ServiceStatus
from kiosk.hardware.hotplug.classify import classify, interface_classes, usb_ids
from kiosk.hardware.hotplug.monitor import start_tracking
from kiosk.hardware.hotplug.simulator import SimulatedHotplugSource


@pytest.mark.parametrize(
    ("props", "kind"),
    [
        ({"ID_USB_INTERFACES": ":0b0000:"}, DeviceKind.READER),
        (
            {"ID_VENDOR_ID": "054c", "ID_MODEL_ID": "06c3", "ID_USB_INTERFACES": ":ff0000:"},
            DeviceKind.READER,
        ),
        ({"PRODUCT": "54c/6c1/100"}, DeviceKind.READER),
        (
            {"ID_VENDOR_ID": "072f", "ID_MODEL_ID": "2200", "ID_USB_INTERFACES": ":ff0000:"},
            DeviceKind.READER,
        ),
        ({"ID_USB_INTERFACES": ":070102:"}, DeviceKind.PRINTER),
        (
            {"ID_VENDOR_ID": "04b8", "ID_MODEL_ID": "0202", "ID_USB_INTERFACES": ":ff0000:"},
            DeviceKind.PRINTER,
        ),
        ({"KIOSK_ROLE": "printer", "ID_USB_INTERFACES": ":030102:"}, DeviceKind.PRINTER),
        ({"ID_VENDOR_ID": "054c", "ID_MODEL_ID": "0268"}, None),  # a Sony game pad
        ({"ID_USB_INTERFACES": ":030102:", "PRODUCT": "46d/c077/7200"}, None),  # a mouse
        ({"ID_VENDOR_ID": "072f", "ID_USB_INTERFACES": ":030000:"}, None),  # ACS, not a reader
        ({}, None),
    ],
)
def test_classify_usb_devices(props, kind):
    assert classify(props) is kind


def test_interface_classes_ignore_garbage():
    assert interface_classes(":0b0000:070102:zz0000::") == frozenset({0x0B, 0x07})


def test_usb_ids_fall_back_to_kernel_product_with_zero_padding():
    assert usb_ids({"PRODUCT": "4b8/e15/100"}) == ("04b8", "0e15")
    assert usb_ids({"ID_VENDOR_ID": "04B8", "ID_MODEL_ID": "0E15"}) == ("04b8", "0e15")


def test_state_is_out_of_service_until_the_source_has_reported():
    tracker = DeviceStateTracker()
    assert tracker.state.status is ServiceStatus.OUT_OF_SERVICE
    tracker.mark_started()
    assert tracker.state.missing == {DeviceKind.READER, DeviceKind.PRINTER}


def test_subscribers_get_the_current_state_then_each_change_once():
    sim = SimulatedHotplugSource()
    tracker = start_tracking(sim)
    seen = []
    tracker.subscribe(seen.append)
    assert [s.status for s in seen] == [ServiceStatus.IN_SERVICE]
    sim.unplug(DeviceKind.PRINTER)
    sim.unplug(DeviceKind.PRINTER)  # nothing left to unplug: no duplicate notification
    sim.replug(DeviceKind.PRINTER)
    assert [s.status.value for s in seen] == ["in_service", "out_of_service", "in_service"]
    assert seen[1].missing == {DeviceKind.PRINTER}
    assert [d.name for d in seen[1].present(DeviceKind.READER)] == ["RC-S380 (simulated)"]


def test_unsubscribe_stops_notifications():
    sim = SimulatedHotplugSource()
    tracker = start_tracking(sim)
    seen = []
    unsubscribe = tracker.subscribe(seen.append)
    unsubscribe()
    sim.unplug(DeviceKind.READER)
    assert len(seen) == 1
    assert tracker.state.missing == {DeviceKind.READER}


def test_state_as_dict_is_what_diagnose_prints():
    sim = SimulatedHotplugSource()
    tracker = start_tracking(sim)
    sim.unplug(DeviceKind.READER)
    assert tracker.state.as_dict() == {
        "status": "out_of_service",
        "missing": ["reader"],
        "devices": [
            {
                "kind": "printer",
                "id": "sim-printer",
                "usb_id": "04b8:0e15",
                "name": "TM-T20II (simulated)",
            }
        ],
    }


def test_a_repeated_event_does_not_notify_again():
    from kiosk.hardware.hotplug import DeviceAction, DeviceEvent
    from kiosk.hardware.hotplug.simulator import DEFAULT_DEVICES

    tracker = DeviceStateTracker()
    tracker.mark_started()
    seen = []
    tracker.subscribe(seen.append)
    tracker.handle(DeviceEvent(DeviceAction.ADDED, DEFAULT_DEVICES[0]))
    tracker.handle(DeviceEvent(DeviceAction.ADDED, DEFAULT_DEVICES[0]))
    assert len(seen) == 2
