"""Which A/B slot runs and whether this boot is a trial, from RAUC's own state.

The image boots through U-Boot's ``boot.scr`` with RAUC's standard ``uboot`` protocol
(docs/appliance.md "Updates"): ``BOOT_ORDER`` and ``BOOT_A_LEFT``/``BOOT_B_LEFT`` in
``uboot.env`` on the boot partition. U-Boot decrements the chosen slot's counter before each
try; ``rauc install`` makes the new slot first with ``boot-attempts-primary=1`` attempt;
``rauc status mark-good`` resets a counter to ``boot-attempts=3``.

So a freshly installed slot on its trial boot has **no attempts left**: RAUC reports it
``boot_status: "bad"`` and no longer as ``boot_primary`` (RAUC's primary is the first slot in
``BOOT_ORDER`` with attempts left). Unless it is marked good now, the next boot — reboot, power
cut or kernel panic — starts the other slot. A committed slot boots with attempts left
(``"good"``) and only needs its counter reset.
"""

from __future__ import annotations

from dataclasses import dataclass

#: RAUC's slot state of the running root file system
BOOTED = "booted"
GOOD = "good"


@dataclass(frozen=True, slots=True)
class BootState:
    """The running slot as RAUC sees it (bootnames ``A``/``B``)."""

    booted: str  # bootname of the running slot; "" when not booted through RAUC
    primary: str  # bootname of RAUC's primary slot; "" when no slot has attempts left
    trial: bool  # the running slot has no attempts left: this boot is its one trial
    fallback: str  # bootname of another slot with attempts left ("" = nothing to fall back to)

    def describe(self) -> str:
        """One line for the journal."""
        kind = "trial" if self.trial else "committed"
        return (
            f"slot {self.booted or '?'} ({kind}), primary {self.primary or '-'}, "
            f"fallback {self.fallback or '-'}"
        )


def _slots(status: dict[str, object]) -> list[tuple[str, dict[str, object]]]:
    raw = status.get("slots")
    found: list[tuple[str, dict[str, object]]] = []
    for entry in raw if isinstance(raw, list) else []:
        if isinstance(entry, dict):
            found.extend((str(n), i) for n, i in entry.items() if isinstance(i, dict))
    return found


def boot_state(status: dict[str, object]) -> BootState:
    """Parse ``rauc status --detailed --output-format=json`` into the commit decision's input."""
    slots = [(name, info) for name, info in _slots(status) if info.get("bootname")]
    booted_bootname = str(status.get("booted") or "")
    running = next(
        ((n, i) for n, i in slots if i.get("state") == BOOTED),
        next(((n, i) for n, i in slots if i.get("bootname") == booted_bootname), None),
    )
    primary_name = str(status.get("boot_primary") or "")
    primary = next((str(i["bootname"]) for n, i in slots if n == primary_name), "")
    if running is None:
        return BootState(booted="", primary=primary, trial=False, fallback="")
    name, info = running
    fallback = next(
        (str(i["bootname"]) for n, i in slots if n != name and i.get("boot_status") == GOOD), ""
    )
    return BootState(
        booted=str(info["bootname"]),
        primary=primary,
        trial=info.get("boot_status") != GOOD,
        fallback=fallback,
    )
