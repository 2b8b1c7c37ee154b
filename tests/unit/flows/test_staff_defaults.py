"""Staff defaults (language, counter) survive a restart: saved atomically, applied at start."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.flows.assembly import assemble
from kiosk.flows.core import FlowSettings
from kiosk.flows.readers import SimulatedReader
from kiosk.flows.staff_defaults import (
    DEFAULTS_FILE,
    StaffDefaults,
    load_defaults,
    save_defaults,
)
from kiosk.flows.worker import CallbackQueue
from kiosk.forms.master.sample_data import build_sample_master
from kiosk.hardware.printer.memory import MemoryPrinter
from server_sync.config import SyncSettings


def _start(state: Path, master: Path, settings: FlowSettings):  # type: ignore[no-untyped-def]
    return assemble(
        reader=SimulatedReader(),
        printer=MemoryPrinter(),
        master_path=master,
        sync=SyncSettings(state_dir=state, kiosk_id="t", intake_url="https://127.0.0.1:9"),
        post=CallbackQueue().post,
        settings=settings,
    )


def test_defaults_set_in_maintenance_apply_after_a_restart(tmp_path: Path) -> None:
    master = tmp_path / "master.sqlite"
    build_sample_master(master)
    state = tmp_path / "state"
    first = _start(state, master, FlowSettings(counter="1", default_language="ja"))
    first.flow.set_default_language("vi")
    first.flow.shift_counter(+1)
    first.flow.shift_counter(+1)
    first.stop()
    assert json.loads((state / DEFAULTS_FILE).read_text()) == {
        "version": 1, "language": "vi", "counter": "3",
    }  # fmt: skip
    second = _start(state, master, FlowSettings(counter="1", default_language="ja"))
    try:
        assert second.flow.settings.default_language == "vi"
        assert second.flow.settings.counter == "3"
        assert second.flow.visit.language == "vi"  # the first visit starts in it
    finally:
        second.stop()


def test_save_replaces_the_file_and_leaves_no_temp_files(tmp_path: Path) -> None:
    save_defaults(tmp_path, StaffDefaults("en", "2"))
    save_defaults(tmp_path, StaffDefaults("ko", "7"))
    assert load_defaults(tmp_path) == StaffDefaults("ko", "7")
    assert sorted(p.name for p in tmp_path.iterdir()) == [DEFAULTS_FILE]


def test_bad_or_foreign_values_are_ignored_field_by_field(tmp_path: Path) -> None:
    path = tmp_path / DEFAULTS_FILE
    path.write_text('{"language": "xx", "counter": "5"}', encoding="utf-8")
    assert load_defaults(tmp_path) == StaffDefaults(None, "5")
    path.write_text('{"language": "ne", "counter": "-3; rm"}', encoding="utf-8")
    assert load_defaults(tmp_path) == StaffDefaults("ne", None)
    path.write_text("not json", encoding="utf-8")
    assert load_defaults(tmp_path) == StaffDefaults()
    path.write_text("[1, 2]", encoding="utf-8")
    assert load_defaults(tmp_path) == StaffDefaults()


def test_counter_stays_within_range(tmp_path: Path) -> None:
    master = tmp_path / "master.sqlite"
    build_sample_master(master)
    kiosk = _start(tmp_path / "state", master, FlowSettings(counter="1"))
    try:
        kiosk.flow.shift_counter(-1)
        assert kiosk.flow.settings.counter == "1"
        assert load_defaults(tmp_path / "state").counter == "1"
    finally:
        kiosk.stop()
