"""`systemd-analyze verify` on every kiosk unit in a fake root, failing on any output.

The fake root holds the host's stock units plus ours (installed by image-build/install-units.sh,
the same script the image build uses) and stub executables at the ExecStart paths. The check
with the device's own systemd (trixie) runs inside the arm64 root during the image build.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
HOST_UNITS = Path("/usr/lib/systemd/system")
STUBS = ["/opt/kiosk/venv/bin/python", "/usr/sbin/pcscd"]


@pytest.fixture
def fake_root(tmp_path: Path) -> Path:
    if not shutil.which("systemd-analyze") or not HOST_UNITS.is_dir():
        pytest.fail("systemd-analyze / stock units missing: run scripts/bootstrap.sh test")
    root = tmp_path / "root"
    (root / "usr/lib/systemd").mkdir(parents=True)
    shutil.copytree(HOST_UNITS, root / "usr/lib/systemd/system", symlinks=True)
    subprocess.run(["bash", str(REPO / "image-build/install-units.sh"), str(root)], check=True)
    for stub in STUBS:
        path = root / stub.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\nexit 0\n")
        path.chmod(0o755)
    return root


def verify(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(REPO / "image-build/verify-units.sh"), "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_unit_verifies_without_any_warning(fake_root):
    proc = verify(fake_root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    n_units = len(list((REPO / "systemd/system").iterdir()))
    assert f"{n_units + 1} units clean" in proc.stdout  # + pcscd.service with our drop-in


@pytest.mark.parametrize(
    ("unit", "old", "new", "complaint"),
    [
        ("kiosk-ui.service", "\nType=notify", "\nTyep=notify", "Unknown key"),
        ("kiosk-ui.service", "Restart=always", "Restart=sometimes", "restart specifier"),
        (
            "kiosk-sync.service",
            "ExecStart=/opt/kiosk/venv/bin/python",
            "ExecStart=/opt/nowhere/python",
            "not executable",
        ),
    ],
)
def test_a_broken_unit_fails_the_check(fake_root, unit, old, new, complaint):
    path = fake_root / "usr/lib/systemd/system" / unit
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    proc = verify(fake_root)
    assert proc.returncode == 1
    assert complaint in proc.stderr


def test_a_broken_pcscd_dropin_fails_the_check(fake_root):
    dropin = fake_root / "usr/lib/systemd/system/pcscd.service.d/kiosk.conf"
    dropin.write_text(dropin.read_text() + "RestartSecs=2s\n")
    proc = verify(fake_root)
    assert proc.returncode == 1 and "RestartSecs" in proc.stderr


def test_shell_scripts_are_shellcheck_clean():
    if not shutil.which("shellcheck"):
        pytest.fail("shellcheck missing: run scripts/bootstrap.sh test")
    scripts = sorted(
        [
            *REPO.glob("image-build/*.sh"),
            *REPO.glob("image-build/hooks/*.sh"),
            REPO / "image-build/smoke/smoke-check",
            REPO / "image-build/slot-switch/slot-switch-guest",
            REPO / "image-build/files/rauc/rauc-post-install",
            REPO / "systemd/libexec/kiosk-escalate",
        ]
    )
    assert len(scripts) >= 10
    proc = subprocess.run(
        ["shellcheck", "-x", *map(str, scripts)],
        capture_output=True,
        text=True,
        cwd=REPO / "image-build",
    )
    assert proc.returncode == 0, proc.stdout
