"""Print the project's runtime requirements that the device venv takes from PyPI wheels.

C-extension dependencies come from Debian's arm64 packages instead (python3-pyscard etc.,
see packages.txt; the device venv uses --system-site-packages), so they are left out here.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

#: distributions installed from Debian's archive in the image (packages.txt)
FROM_DEBIAN = frozenset({"pyscard", "cryptography", "requests", "pyudev"})


def device_requirements(pyproject: Path) -> list[str]:
    """Return the runtime requirement strings not provided by Debian packages."""
    deps: list[str] = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    out = []
    for dep in deps:
        match = re.match(r"[A-Za-z0-9_.-]+", dep)
        name = match.group(0).lower().replace("_", "-") if match else dep
        if name not in FROM_DEBIAN:
            out.append(dep)
    return out


if __name__ == "__main__":
    sys.stdout.write("".join(f"{d}\n" for d in device_requirements(Path(sys.argv[1]))))
