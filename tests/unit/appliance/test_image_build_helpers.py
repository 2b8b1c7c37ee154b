"""The image build's Python helpers: the device requirement list and the smoke verdict."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[3]


def load(rel: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(Path(rel).stem, REPO / rel)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_device_requirements_leave_debian_provided_c_extensions_out():
    reqs = load("image-build/device_requirements.py").device_requirements(REPO / "pyproject.toml")
    names = {r.split(">")[0].split("=")[0].split("<")[0].strip().lower() for r in reqs}
    assert "kivy" in names
    assert not names & {"pyscard", "cryptography", "requests", "pyudev"}


GOOD = """SMOKE arch=aarch64 python=3.13.5
SMOKE UNIT kiosk.target active restarts=
SMOKE UNIT kiosk-ui.service active restarts=0
SMOKE UNIT kiosk-sync.service inactive restarts=0
SMOKE UNIT kiosk-firstboot.service inactive restarts=0
SMOKE UNIT kiosk-master-sync.timer active restarts=
SMOKE UNIT pcscd.service active restarts=0
SMOKE UNIT systemd-journald.service active restarts=0
SMOKE ROOT ro
SMOKE JOURNAL persistent-files=0
SMOKE VPCD serial
SMOKE FAILED count=0
SMOKE END""".splitlines()


def test_smoke_verdict_passes_a_clean_boot():
    assert load("image-build/smoke/evaluate.py").evaluate(GOOD) == []


def test_smoke_verdict_names_each_problem():
    evaluate = load("image-build/smoke/evaluate.py").evaluate
    bad = [
        line.replace("kiosk-ui.service active", "kiosk-ui.service failed")
        .replace("ROOT ro", "ROOT rw")
        .replace("FAILED count=0", "FAILED count=1 kiosk-ui.service")
        .replace("VPCD serial", "VPCD serial libifdvpcd.so")
        for line in GOOD
        if line != "SMOKE END"
    ]
    problems = " | ".join(evaluate(bad))
    for expected in (
        "never reached the end",
        "kiosk-ui.service is failed",
        "mounted rw",
        "failed units: kiosk-ui.service",
        "vpcd",
    ):
        assert expected in problems
