"""A kiosk's sync side under test: its state dir, config, CLI runs and sender process.

Shared by the delivery tests and bench/soak_delivery.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from server_sync.config import load_settings
from server_sync.submit import enqueue_filing
from tests.integration.delivery.filings import make_filing

REPO = Path(__file__).resolve().parents[3]

#: parametrize ``intake_server`` (indirect) over both databases of the intake
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

FAST_CONFIG = """\
[sync]
poll_interval_s = 0.05
connect_timeout_s = 1.0
read_timeout_s = 1.0
heartbeat_interval_s = 2.0
master_interval_s = 3600
[sync.retry]
base_delay_s = 0.05
max_delay_s = 0.4
"""


@dataclass
class KioskUnderTest:
    """One kiosk: ``state_dir`` + ``config`` (TOML); runs the real ``python -m server_sync``."""

    root: Path
    kiosk_id: str = "kiosk-01"
    config_text: str = FAST_CONFIG
    sender: subprocess.Popen[bytes] | None = None
    enqueued: list[str] = field(default_factory=list)
    env_extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.config.write_text(self.config_text)

    @property
    def state_dir(self) -> Path:
        return self.root / "state"

    @property
    def config(self) -> Path:
        return self.root / "kiosk.toml"

    @property
    def log_file(self) -> Path:
        return self.root / "sender.log"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "KIOSK_CONFIG": str(self.config),
                "KIOSK_STATE_DIR": str(self.state_dir),
                "PYTHONPATH": str(REPO),
                **self.env_extra,
            }
        )
        return env

    def cli(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run ``python -m server_sync ARGS`` as a separate process."""
        return subprocess.run(
            [sys.executable, "-m", "server_sync", *args],
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def enrol(self, url: str, token: str, ca_file: Path) -> None:
        result = self.cli(
            "enrol",
            "--url",
            url,
            "--token",
            token,
            "--kiosk-id",
            self.kiosk_id,
            "--ca",
            str(ca_file),
        )
        if result.returncode != 0:
            raise RuntimeError(f"enrol failed: {result.stdout} {result.stderr}")

    def point_at(self, url: str) -> None:
        """Rewrite the enrolment record's intake URL (e.g. to go through the fault proxy)."""
        path = self.state_dir / "enrolment.json"
        record = json.loads(path.read_text())
        record["intake_url"] = url
        path.write_text(json.dumps(record))

    def enqueue(self, count: int = 1) -> list[str]:
        """Enqueue ``count`` new filings in-process, as the kiosk app does (no network)."""
        settings = load_settings(self.env())
        ids = []
        for _ in range(count):
            fid, data = make_filing()
            enqueue_filing(
                settings, data, filing_id=fid, resident_certificate=None, resident_signature=None
            )
            ids.append(fid)
        self.enqueued.extend(ids)
        return ids

    def status(self) -> dict[str, Any]:
        result = self.cli("status")
        if result.returncode != 0:
            raise RuntimeError(f"status failed: {result.stderr}")
        data: dict[str, Any] = json.loads(result.stdout)
        return data

    def start_sender(self) -> None:
        if self.sender is not None and self.sender.poll() is None:
            raise RuntimeError("sender already running")
        with self.log_file.open("ab") as log:
            self.sender = subprocess.Popen(
                [sys.executable, "-m", "server_sync", "run"],
                cwd=REPO,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def kill_sender(self) -> None:
        """SIGKILL: the sender dies wherever it is."""
        if self.sender is not None and self.sender.poll() is None:
            self.sender.send_signal(signal.SIGKILL)
            self.sender.wait(10)

    def stop_sender(self) -> int | None:
        """SIGTERM: a clean stop; returns the exit code."""
        if self.sender is None:
            return None
        if self.sender.poll() is None:
            self.sender.send_signal(signal.SIGTERM)
            self.sender.wait(15)
        return self.sender.returncode

    def wait_drained(self, timeout_s: float = 60.0) -> dict[str, Any]:
        """Poll ``status`` until the backlog is 0; returns the last status."""
        deadline = time.monotonic() + timeout_s
        status = self.status()
        while status["backlog"] and time.monotonic() < deadline:
            time.sleep(0.2)
            status = self.status()
        return status


def central_filings(engine: Any) -> dict[str, int]:
    """filing_id → number of rows in the intake's filings table."""
    from sqlalchemy import text

    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT filing_id, COUNT(*) FROM filings GROUP BY filing_id")
        ).all()
    return {str(r[0]): int(r[1]) for r in rows}


def lost_and_duplicates(enqueued: list[str], central: dict[str, int]) -> tuple[list[str], int]:
    """Enqueued ids missing centrally, and how many extra copies exist centrally."""
    lost = [fid for fid in enqueued if fid not in central]
    duplicates = sum(n - 1 for n in central.values() if n > 1)
    duplicates += sum(1 for fid in central if fid not in set(enqueued))
    return lost, duplicates


@dataclass
class KillReport:
    """Outcome of a kill -9 run."""

    iterations: int
    sender_kills: int
    intake_kills: int
    enqueued: int
    lost: list[str]
    duplicates: int
    elapsed_s: float
    drain_s: float


def run_kill_rounds(
    kiosk: KioskUnderTest, intake: Any, iterations: int, rng: Any, max_pause_s: float = 0.4
) -> KillReport:
    """Enqueue while the sender runs, SIGKILL the sender or the intake at random points, restart.

    ``intake`` is a started ``tests.fixtures.intake.IntakeServer``. Afterwards both run until the
    backlog is 0 and the central rows are compared with what was enqueued.
    """
    started = time.monotonic()
    sender_kills = intake_kills = 0
    kiosk.start_sender()
    for _ in range(iterations):
        kiosk.enqueue(rng.randint(1, 3))
        time.sleep(rng.uniform(0.0, max_pause_s))
        if rng.random() < 0.5:
            kiosk.kill_sender()
            sender_kills += 1
            kiosk.start_sender()
        else:
            intake.kill()
            intake_kills += 1
            time.sleep(rng.uniform(0.0, 0.2))
            intake.start()
    drain_started = time.monotonic()
    kiosk.wait_drained(120)
    drain_s = time.monotonic() - drain_started
    kiosk.stop_sender()
    lost, duplicates = lost_and_duplicates(kiosk.enqueued, central_filings(intake.engine))
    return KillReport(
        iterations=iterations,
        sender_kills=sender_kills,
        intake_kills=intake_kills,
        enqueued=len(kiosk.enqueued),
        lost=lost,
        duplicates=duplicates,
        elapsed_s=time.monotonic() - started,
        drain_s=drain_s,
    )
