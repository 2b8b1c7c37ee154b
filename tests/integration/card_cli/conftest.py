"""Run ``python -m kiosk.hardware.card`` as a subprocess against cards in pcscd's vpcd reader."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CLI = [sys.executable, "-m", "kiosk.hardware.card"]


@pytest.fixture(autouse=True)
def _no_state_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The reader's default CV-certificate cache ($KIOSK_STATE_DIR): absent, so reads start cold."""
    monkeypatch.setenv("KIOSK_STATE_DIR", str(tmp_path / "no-state-folder"))


CLI_TIMEOUT_S = 60


@dataclass
class CliResult:
    """Exit code, the parsed JSON object on stdout, raw stdout and stderr."""

    code: int
    json: dict[str, Any]
    stdout: str
    stderr: str


def run_cli(args: Sequence[str], stdin: str = "", env: dict[str, str] | None = None) -> CliResult:
    proc = subprocess.run(
        [*CLI, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
        env=env,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one JSON line on stdout, got {proc.stdout!r} / {proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    return CliResult(proc.returncode, json.loads(lines[0]), proc.stdout, proc.stderr)


@pytest.fixture
def cli(pcsc_stack: Any) -> Callable[..., CliResult]:
    """``cli(args, stdin="")`` with ``--reader`` pointing at the vpcd slot used by the tests."""

    def call(args: Sequence[str], stdin: str = "", **kwargs: Any) -> CliResult:
        command, *rest = args
        return run_cli([command, "--reader", pcsc_stack.reader_name, *rest], stdin, **kwargs)

    return call
