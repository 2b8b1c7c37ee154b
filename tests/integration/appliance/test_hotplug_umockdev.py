"""The real pyudev adapter against umockdev's fake USB devices and uevents.

umockdev's GI API needs Debian's /usr/bin/python3 (python3-gi), so the scenario runs as a
subprocess under ``umockdev-wrapper``; this test checks what it reports.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import pyudev

REPO = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).with_name("umockdev_hotplug.py")
#: the acceptance criterion: out of service within 2 s of an unplug
DEADLINE_S = 2.0


def _run_scenario() -> list[dict[str, object]]:
    if not shutil.which("umockdev-wrapper") or not Path("/usr/bin/python3").exists():
        pytest.fail("umockdev-wrapper or /usr/bin/python3 missing: run scripts/bootstrap.sh test")
    pyudev_dir = Path(pyudev.__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=f"{REPO}{os.pathsep}{pyudev_dir}")
    proc = subprocess.run(
        ["umockdev-wrapper", "/usr/bin/python3", str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


@pytest.fixture(scope="module")
def steps() -> dict[str, dict[str, object]]:
    return {str(s["step"]): s for s in _run_scenario()}


def _usb_ids(step: dict[str, object]) -> set[str]:
    devices = step["devices"]
    assert isinstance(devices, list)
    return {f"{d['kind']}={d['usb_id']}" for d in devices}


def test_present_reader_and_printer_are_in_service_and_other_usb_is_ignored(steps):
    initial = steps["initial"]
    assert initial["status"] == "in_service"
    assert _usb_ids(initial) == {"reader=054c:06c3", "printer=04b8:0e15"}


@pytest.mark.parametrize(
    ("step", "missing"), [("reader_removed", "reader"), ("printer_removed", "printer")]
)
def test_unplug_goes_out_of_service_within_two_seconds(steps, step, missing):
    s = steps[step]
    assert s["status"] == "out_of_service"
    assert s["missing"] == [missing]
    assert isinstance(s["latency_s"], float) and s["latency_s"] < DEADLINE_S


@pytest.mark.parametrize("step", ["reader_back", "printer_back"])
def test_replug_resumes_service_by_itself(steps, step):
    s = steps[step]
    assert s["status"] == "in_service"
    assert isinstance(s["latency_s"], float) and s["latency_s"] < DEADLINE_S


def test_a_ccid_class_reader_without_udev_ids_is_recognised_from_sysfs(steps):
    s = steps["ccid_reader_swapped_in"]
    assert "reader=072f:b100" in _usb_ids(s)
    assert s["status"] == "in_service"


def test_scenario_script_runs_on_debian_python():
    # The scenario must stay importable by Debian's interpreter (no venv-only syntax).
    out = subprocess.run(
        [
            "/usr/bin/python3",
            "-c",
            "import ast,sys; ast.parse(open(sys.argv[1]).read())",
            str(SCRIPT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert sys.version_info >= (3, 11)
