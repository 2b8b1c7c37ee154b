"""Judge the QEMU smoke test's SMOKE lines (printed by smoke-check inside the guest)."""

from __future__ import annotations

import sys
from pathlib import Path

#: unit → states that are fine on an unprovisioned image in QEMU
EXPECTED = {
    "kiosk.target": {"active"},
    "kiosk-ui.service": {"active"},
    "kiosk-sync.service": {"inactive"},  # ConditionPathExists: not provisioned
    "kiosk-firstboot.service": {"inactive"},  # ConditionPathExists: no files on the boot partition
    "kiosk-master-sync.timer": {"active"},
    "pcscd.service": {"active"},
    "systemd-journald.service": {"active"},
}


def evaluate(lines: list[str]) -> list[str]:
    """Problems found; empty when the smoke test passed."""
    problems = []
    if not any(line.strip() == "SMOKE END" for line in lines):
        problems.append("the guest never reached the end of smoke-check (boot hang or timeout)")
    seen = {}
    for line in lines:
        parts = line.split()
        if len(parts) >= 4 and parts[1] == "UNIT":
            seen[parts[2]] = parts[3]
        if len(parts) >= 3 and parts[1] == "FAILED" and parts[2] != "count=0":
            problems.append(f"failed units: {' '.join(parts[3:])}")
        if len(parts) >= 3 and parts[1] == "ROOT" and parts[2] != "ro":
            problems.append(f"root file system is mounted {parts[2]}, not ro")
        if len(parts) >= 2 and parts[1] == "VPCD" and "vpcd" in " ".join(parts[2:]).lower():
            problems.append("a vpcd driver is installed")
        if len(parts) >= 2 and parts[1] == "JOURNAL" and parts[2:] != ["persistent-files=0"]:
            problems.append("the journal was written to /var/log/journal")
    for unit, ok in EXPECTED.items():
        if unit in seen and seen[unit] not in ok:
            problems.append(f"{unit} is {seen[unit]}, expected {'/'.join(sorted(ok))}")
        elif unit not in seen and any("UNIT" in line for line in lines):
            problems.append(f"{unit} not reported")
    return problems


if __name__ == "__main__":
    problems = evaluate(Path(sys.argv[1]).read_text(errors="replace").splitlines())
    for p in problems:
        sys.stdout.write(f"smoke: FAIL: {p}\n")
    sys.stdout.write("smoke: PASS\n" if not problems else "")
    sys.exit(1 if problems else 0)
