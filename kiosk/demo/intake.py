"""The demo's local central intake: the reference server, the kiosk enrolled, the sender running.

Everything runs as child processes on 127.0.0.1 and is stopped (by PID) when the demo ends.
"""

from __future__ import annotations

import logging
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

log = logging.getLogger(__name__)

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LocalIntake:
    """``python -m server_sync.intake`` + enrolment + ``python -m server_sync run``."""

    def __init__(self, root: Path, state_dir: Path, kiosk_id: str) -> None:
        self.root = root
        self.state_dir = state_dir
        self.kiosk_id = kiosk_id
        self.port = _free_port()
        self.db = f"sqlite:///{root / 'intake.db'}"
        self.data_dir = root / "intake"
        self._procs: list[subprocess.Popen[bytes]] = []

    @property
    def url(self) -> str:
        """The intake's base URL."""
        return f"https://127.0.0.1:{self.port}"

    @property
    def ca_file(self) -> Path:
        """The dev CA the intake generated."""
        return self.data_dir / "tls" / "ca.pem"

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "KIOSK_STATE_DIR": str(self.state_dir),
            "KIOSK_CONFIG": str(self.root / "no-config.toml"),
            "KIOSK_INTAKE_URL": self.url,  # the port is new on every demo start
        }

    def _spawn(self, args: list[str], log_name: str) -> subprocess.Popen[bytes]:
        with (self.root / log_name).open("ab") as out:
            proc = subprocess.Popen(  # noqa: S603 - our own modules, fixed arguments
                [sys.executable, "-m", *args],
                env=self._env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._procs.append(proc)
        return proc

    def _healthy(self) -> bool:
        if not self.ca_file.exists():
            return False
        context = ssl.create_default_context(cafile=str(self.ca_file))
        try:
            with urllib.request.urlopen(  # noqa: S310 - https to our own loopback server
                f"{self.url}/healthz", context=context, timeout=2
            ) as answer:
                return int(answer.status) == 200
        except OSError:
            return False

    def start(self) -> None:
        """Start the intake, enrol this kiosk (first time only), start the sender."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # the demo's cards come from the test PKI: the intake trusts its JPKI roots (its default
        # trust folder), so a card-signed filing arrives verified with its certificate serial
        from kiosk.hardware.card.sim import TestPki

        TestPki.shared().write_trust_dir(self.data_dir / "jpki-roots", cv_issuer=False)
        server = self._spawn(
            ["server_sync.intake", "serve", "--db", self.db, "--listen",
             f"127.0.0.1:{self.port}", "--data-dir", str(self.data_dir), "--log-level", "warning"],
            "intake.log",
        )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._healthy():
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the local intake did not start (see {self.root}/intake.log)")
            time.sleep(0.2)
        if not (self.state_dir / "enrolment.json").exists():
            self._enrol()
        self._spawn(["server_sync", "run"], "sender.log")
        log.info("local intake at %s, sender running", self.url)

    def _enrol(self) -> None:
        token = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "server_sync.intake", "token", "create", "--db", self.db,
             "--kiosk-id", self.kiosk_id],
            env=self._env(), capture_output=True, text=True, check=True, timeout=60,
        ).stdout.strip().splitlines()[-1]  # fmt: skip
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "server_sync", "enrol", "--url", self.url, "--token", token,
             "--kiosk-id", self.kiosk_id, "--ca", str(self.ca_file)],
            env=self._env(), capture_output=True, check=True, timeout=60,
        )  # fmt: skip

    def log_tails(self, lines: int = 40) -> str:
        """The last lines of the intake's and the sender's logs (codes and ids only)."""
        parts = []
        for name in ("intake.log", "sender.log"):
            path = self.root / name
            try:
                tail = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            except OSError as err:
                tail = [f"(unreadable: {err.strerror})"]
            parts.append(f"--- {name} (last {len(tail)} lines)\n" + "\n".join(tail))
        return "\n".join(parts)

    def stop(self) -> None:
        """Terminate the children we started."""
        for proc in reversed(self._procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    proc.kill()
        self._procs.clear()
