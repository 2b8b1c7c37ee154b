"""Read and write files in the FAT boot partition of an image or card, with mtools (no mount)."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from kiosk.tech.errors import TechError
from kiosk.tech.image import Partition
from kiosk.tech.tools import require_tool

MTOOLS_ENV = {**os.environ, "MTOOLS_SKIP_CHECK": "1"}


def _image_spec(target: str, part: Partition) -> str:
    return f"{target}@@{part.start_bytes}"


def _mtools(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    """Run an mtools program; args are the tool name and paths we built (no shell)."""
    cmd = [require_tool(args[0]), *args[1:]]
    proc = subprocess.run(cmd, capture_output=True, check=False, timeout=60, env=MTOOLS_ENV)  # noqa: S603
    if proc.returncode != 0:
        raise TechError(f"{args[0]} failed: {proc.stderr.decode(errors='replace').strip()}")
    return proc


def write_files(target: str, part: Partition, directory: str, files: dict[str, bytes]) -> None:
    """Create ``directory`` in the FAT partition and write ``files`` (name → content) into it."""
    spec = _image_spec(target, part)
    existing = subprocess.run(  # noqa: S603
        [require_tool("mdir"), "-b", "-i", spec, f"::/{directory}"],
        capture_output=True, check=False, timeout=60, env=MTOOLS_ENV,
    )  # fmt: skip
    if existing.returncode != 0:
        _mtools(["mmd", "-i", spec, f"::/{directory}"])
    with tempfile.TemporaryDirectory(prefix="kiosk-tech-") as tmp:
        for name, content in files.items():
            local = Path(tmp) / name
            local.write_bytes(content)
            _mtools(["mcopy", "-o", "-i", spec, str(local), f"::/{directory}/{name}"])


def read_file(target: str, part: Partition, path: str) -> bytes:
    """The content of ``path`` (e.g. ``kiosk/kiosk.toml``) in the FAT partition."""
    return _mtools(["mtype", "-i", _image_spec(target, part), f"::/{path}"]).stdout
