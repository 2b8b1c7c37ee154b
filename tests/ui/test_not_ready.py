"""An unprovisioned stand shows "out of service" instead of crash-looping, then recovers by itself.

``python -m kiosk`` (production mode) runs as a real process under SDL's offscreen driver with a
systemd notify socket bound by the test: with no address master it must still report READY=1,
stay up, and exit 0 (so systemd starts the real UI) once the master has arrived.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from kiosk.forms.master.sample_data import build_sample_master

REPO = Path(__file__).resolve().parents[2]


def _receive(sock: socket.socket, timeout_s: float) -> str:
    sock.settimeout(timeout_s)
    try:
        return sock.recv(4096).decode("utf-8")
    except TimeoutError:
        return ""


def test_missing_master_shows_out_of_service_then_recovers(tmp_path: Path) -> None:
    master = tmp_path / "state" / "master.sqlite"
    master.parent.mkdir()
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\nreader = "sim"\ncounter = "7"\nmaster_path = "{master}"\n'
        '[kiosk.printer]\nkind = "memory"\n',
        encoding="utf-8",
    )
    notify_path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(notify_path))
    env = {
        **os.environ,
        "NOTIFY_SOCKET": str(notify_path),
        "WATCHDOG_USEC": "2000000",
        "KIOSK_STATE_DIR": str(master.parent),
        "KIOSK_NOT_READY_RECHECK_S": "1",
        "KIVY_HOME": str(tmp_path / "kivy"),
        "SDL_VIDEODRIVER": "offscreen",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--config", str(config)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        ready = _receive(sock, 60)
        assert "READY=1" in ready, "the UI did not report READY=1 without a master"
        assert "out of service" in ready
        assert "WATCHDOG=1" in _receive(sock, 10), "the watchdog is not fed while not ready"
        assert proc.poll() is None, "the UI exited instead of showing out of service"

        build_sample_master(master)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        output = proc.communicate()[0].decode("utf-8", "replace")
        sock.close()
    assert "Traceback" not in output, output
