"""Judge the QEMU A/B proof from its serial log (image-build/slot-switch.sh) and print the figures.

Each log line is ``HOST_EPOCH console-text``. U-Boot's boot.scr prints ``kiosk: booting slot X
(BOOT_ORDER=… A_LEFT=… B_LEFT=…)`` before every kernel; the guest reporter prints ``SWITCH BOOT``,
``SWITCH COMMIT``, ``SWITCH INSTALLED``, ``SWITCH END`` (slot-switch-guest). Expected: slots
A, B (bad trial), A (fell back by itself), B (good trial, marked good), B (committed).

    python3 image-build/slot-switch/evaluate.py SERIAL_LOG   # exit 0 = proven
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

UBOOT = re.compile(r"kiosk: booting slot ([AB]) \((.*)\)")
REPORT = re.compile(r"SWITCH (\w+) ?(.*)")
EXPECTED = ["A", "B", "A", "B", "B"]


@dataclass
class Boot:
    slot: str
    at: float  # host time of U-Boot's choice
    counters: str
    reports: list[tuple[float, str, str]] = field(default_factory=list)

    def first(self, kind: str) -> tuple[float, str] | None:
        return next(((t, text) for t, k, text in self.reports if k == kind), None)


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def parse(path: Path) -> list[Boot]:
    boots: list[Boot] = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stamp, _, text = raw.partition(" ")
        try:
            at = float(stamp)
        except ValueError:
            continue
        text = text.replace("\r", "")
        if m := UBOOT.search(text):
            boots.append(Boot(m.group(1), at, m.group(2)))
        elif (m := REPORT.search(text)) and boots:
            boots[-1].reports.append((at, m.group(1), m.group(2)))
    return boots


def main(path: Path) -> int:
    boots = parse(path)
    problems: list[str] = []
    say("boot slot  U-Boot counters                      reporter  gate    gate decision")
    for n, boot in enumerate(boots, 1):
        rep = boot.first("BOOT")
        com = boot.first("COMMIT")
        up = f"{rep[0] - boot.at:6.0f} s" if rep else "     - "
        gate = f"{com[0] - boot.at:5.0f} s" if com else "    - "
        decision = com[1].split(" ", 3)[-1][:70] if com else "(left before the gate decided)"
        say(f"{n:4} {boot.slot:4}  {boot.counters:36} {up}  {gate}  {decision}")
    slots = [b.slot for b in boots]
    if slots != EXPECTED:
        problems.append(f"slots booted {slots}, expected {EXPECTED}")
    if len(boots) >= 5:
        bad_trial, fallback, good_trial, committed = boots[1], boots[2], boots[3], boots[4]
        # RAUC's mark-good is visible as the trial slot's counter back at boot-attempts (3).
        if any("BOOT_B_LEFT=3" in text for _, k, text in bad_trial.reports if k == "ENV"):
            problems.append("the bad trial was marked good")
        good_com = good_trial.first("COMMIT")
        after = [(t, text) for t, k, text in good_trial.reports if k == "ENV" and good_com
                 and t >= good_com[0]]  # fmt: skip
        if not good_com or not any("BOOT_B_LEFT=3" in text for _, text in after):
            problems.append(f"the good trial was not marked good: {good_com} {after}")
        if not committed.first("END"):
            problems.append("no END after the committed boot")
        installs = [b.first("INSTALLED") for b in (boots[0], fallback)]
        say()
        for name, inst in zip(("bad", "good"), installs, strict=True):
            if inst:
                times = dict(kv.split("=") for kv in inst[1].split()[1:] if "=" in kv)
                secs = float(times.get("to", 0)) - float(times.get("from", 0))
                say(f"rauc install {name}.raucb in the guest: {secs:.0f} s")
        say(f"bad trial -> back on slot A by itself: {fallback.at - bad_trial.at:.0f} s "
              "(U-Boot's choice of B to U-Boot's choice of A)")  # fmt: skip
        if good_com:
            secs = good_com[0] - good_trial.at
            say(f"good trial -> marked good: {secs:.0f} s after U-Boot chose B")
        rep = [b.first("BOOT") for b in boots]
        ups = [r[0] - b.at for r, b in zip(rep, boots, strict=True) if r]
        if ups:
            say(f"U-Boot's choice -> reporter running (kernel + systemd): "
                  f"{min(ups):.0f}-{max(ups):.0f} s over {len(ups)} boots")  # fmt: skip
    for p in problems:
        say(f"FAIL: {p}")
    say("PASS: A/B switch, health-gated commit and fallback proven" if not problems else "FAIL")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
