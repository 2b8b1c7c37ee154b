"""The checks of ``diagnose``: small functions over injectable probes, each a CheckResult.

Checks that need other parts of the kiosk (card stack, printer driver, sync client) import them
lazily and report UNAVAILABLE when they are not installed, instead of failing the whole run.
"""

from __future__ import annotations

import enum
import os
import shutil
import ssl
import subprocess
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: the clock is certainly wrong before the image was built
MIN_PLAUSIBLE_YEAR = 2025
HTTP_TIMEOUT_S = 5.0
HEALTH_PATH = "/healthz"
SYS_DRM = Path("/sys/class/drm")
DEV_DRI = Path("/dev/dri")
TIMESYNC_FLAG = Path("/run/systemd/timesync/synchronized")
#: plain remedies, for the technician's report and the staff menu
REMEDY_READER = "plug the card reader in firmly (USB); if it stays, restart the stand"
REMEDY_PRINTER = "check the printer's power, cable, paper and cover; see [kiosk.printer]"
REMEDY_DISPLAY = "check the screen's cable and power; restart the stand"
REMEDY_CLOCK = "check the network and the NTP servers in the site file"
REMEDY_NETWORK = "check the network cable, the proxy and the intake address in the site file"
REMEDY_PENDING = "wait for the network: first boot retries every 30 s"
REMEDY_REFLASH = "re-flash the card with the ward's site file and a new token"


class CheckStatus(enum.Enum):
    """Outcome of one check."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One line of the report."""

    name: str
    status: CheckStatus
    detail: str
    remedy: str = ""  # what a technician or clerk does about a WARN/FAIL

    def as_dict(self) -> dict[str, str]:
        """JSON-friendly form."""
        return {"check": self.name, "status": self.status.value, "detail": self.detail,
                "remedy": self.remedy}  # fmt: skip


@dataclass(frozen=True, slots=True)
class DiagnoseContext:
    """Where the device keeps its configuration and state."""

    config_path: Path = field(
        default_factory=lambda: Path(os.environ.get("KIOSK_CONFIG", "/etc/kiosk/kiosk.toml"))
    )
    state_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("KIOSK_STATE_DIR", "/var/lib/kiosk"))
    )
    boot_dir: Path = Path("/boot/firmware/kiosk")

    def config(self) -> dict[str, Any]:
        """The parsed kiosk.toml ({} if absent)."""
        try:
            return tomllib.loads(self.config_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}


def check_reader(list_readers: Callable[[], list[str]] | None = None) -> CheckResult:
    """A PC/SC reader is visible through pcscd."""
    name = "card reader"
    if list_readers is None:
        try:
            from kiosk.hardware.card.pcsc import list_readers as pcsc_list
        except ImportError as err:
            return CheckResult(name, CheckStatus.UNAVAILABLE, f"card stack not installed ({err})")
        list_readers = pcsc_list
    try:
        readers = list_readers()
    except Exception as err:  # any driver failure is a finding, not a crash
        return CheckResult(
            name, CheckStatus.FAIL, f"pcscd not reachable: {type(err).__name__}", REMEDY_READER
        )
    if not readers:
        return CheckResult(
            name, CheckStatus.FAIL, "no reader (plugged in? pcscd running?)", REMEDY_READER
        )
    return CheckResult(name, CheckStatus.OK, ", ".join(readers))


def check_printer(
    ctx: DiagnoseContext, usb_printers: Callable[[], list[str]] | None = None,
    open_status: Callable[[dict[str, Any]], str] | None = None,
) -> CheckResult:  # fmt: skip
    """The configured printer answers with a ready status, or a USB printer is present."""
    name = "printer"
    kiosk = ctx.config().get("kiosk", {})
    # The UI reads [kiosk].printer (kiosk.config); an old top-level [printer] is not used by it.
    table = kiosk.get("printer") if isinstance(kiosk, dict) else None
    if isinstance(table, dict) and table:
        if open_status is None:
            try:
                from kiosk.hardware.printer.factory import open_printer
            except ImportError as err:
                return CheckResult(name, CheckStatus.UNAVAILABLE, f"printer stack missing ({err})")

            def open_status(cfg: dict[str, Any]) -> str:
                with open_printer(cfg) as printer:
                    st = printer.status()
                if not st.known:
                    return "write-only printer (no status)"
                problems = [p for p, bad in (("offline", not st.online), ("cover open",
                            st.cover_open), ("error", st.error)) if bad]  # fmt: skip
                if problems:
                    raise RuntimeError(", ".join(problems))
                return f"online, paper {st.paper.value}"

        try:
            return CheckResult(name, CheckStatus.OK, open_status(table))
        except Exception as err:
            return CheckResult(
                name, CheckStatus.FAIL, f"{type(err).__name__}: {err}", REMEDY_PRINTER
            )
    if usb_printers is None:
        usb_printers = _usb_devices_of("printer")
    found = usb_printers()
    if found:
        return CheckResult(name, CheckStatus.OK, "USB printer present: " + ", ".join(found))
    return CheckResult(
        name, CheckStatus.FAIL, "no printer configured and none on USB", REMEDY_PRINTER
    )


def _usb_devices_of(kind: str) -> Callable[[], list[str]]:
    def probe() -> list[str]:
        try:
            from kiosk.hardware.hotplug.pyudev_adapter import enumerate_devices
        except ImportError:
            return []
        return [f"{d.usb_id} {d.name}".strip() for d in enumerate_devices() if d.kind.value == kind]

    return probe


def check_display(sys_drm: Path = SYS_DRM, dev_dri: Path = DEV_DRI) -> CheckResult:
    """A DRM device exists and a connector reports a connected screen."""
    name = "display"
    cards = sorted(p.name for p in dev_dri.glob("card*")) if dev_dri.is_dir() else []
    if not cards:
        return CheckResult(
            name, CheckStatus.FAIL, "no /dev/dri/card* (KMS driver not loaded)", REMEDY_DISPLAY
        )
    connected = []
    for status in sorted(sys_drm.glob("card*-*/status")):
        try:
            if status.read_text().strip() == "connected":
                connected.append(status.parent.name)
        except OSError:
            continue
    if not connected:
        return CheckResult(
            name, CheckStatus.FAIL, f"{', '.join(cards)}: no screen connected", REMEDY_DISPLAY
        )
    return CheckResult(name, CheckStatus.OK, "connected: " + ", ".join(connected))


def _ntp_synchronized() -> bool | None:
    if TIMESYNC_FLAG.exists():
        return True
    tool = shutil.which("timedatectl")
    if tool:
        proc = subprocess.run(  # noqa: S603
            [tool, "show", "-p", "NTPSynchronized", "--value"],
            capture_output=True, text=True, check=False, timeout=5,
        )  # fmt: skip
        if proc.returncode == 0:
            return proc.stdout.strip() == "yes"
    return None


def check_clock(
    now: Callable[[], float] = time.time, synced: Callable[[], bool | None] = _ntp_synchronized
) -> CheckResult:
    """The clock is plausible and synchronised (signatures and timestamps depend on it)."""
    name = "clock"
    year = time.gmtime(now()).tm_year
    stamp = time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime(now()))
    if year < MIN_PLAUSIBLE_YEAR:
        return CheckResult(
            name, CheckStatus.FAIL, f"{stamp} is not plausible (no RTC, no NTP?)", REMEDY_CLOCK
        )
    state = synced()
    if state is True:
        return CheckResult(name, CheckStatus.OK, f"{stamp}, NTP synchronised")
    if state is False:
        return CheckResult(name, CheckStatus.WARN, f"{stamp}, not NTP synchronised", REMEDY_CLOCK)
    return CheckResult(name, CheckStatus.WARN, f"{stamp}, synchronisation unknown", REMEDY_CLOCK)


def _sync_settings(ctx: DiagnoseContext) -> tuple[str | None, str | None, Path | None]:
    sync = ctx.config().get("sync", {})
    if not isinstance(sync, dict):
        sync = {}
    ca = os.environ.get("KIOSK_CA_FILE") or sync.get("ca_file")  # same override as server_sync
    return sync.get("kiosk_id"), sync.get("intake_url"), Path(ca) if ca else None


def check_intake(
    ctx: DiagnoseContext, fetch: Callable[[str, Path | None], int] | None = None
) -> CheckResult:
    """The central intake answers its health endpoint over the pinned CA."""
    name = "intake"
    _, url, ca = _sync_settings(ctx)
    if not url:
        return CheckResult(
            name, CheckStatus.FAIL, f"no intake_url in {ctx.config_path}", REMEDY_REFLASH
        )
    fetch = fetch or _http_status
    target = url.rstrip("/") + HEALTH_PATH
    try:
        status = fetch(target, ca)
    except (OSError, ssl.SSLError, ValueError) as err:
        return CheckResult(name, CheckStatus.FAIL, f"{target}: {err}", REMEDY_NETWORK)
    if status != 200:
        return CheckResult(name, CheckStatus.FAIL, f"{target}: HTTP {status}", REMEDY_NETWORK)
    return CheckResult(name, CheckStatus.OK, f"{target}: HTTP 200")


def _http_status(url: str, ca: Path | None) -> int:
    if not url.startswith(("https://", "http://")):
        raise ValueError("intake_url must be http(s)")
    context = ssl.create_default_context(cafile=str(ca) if ca else None)
    request = urllib.request.Request(url, method="GET")  # noqa: S310 - scheme checked above
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S, context=context) as resp:  # noqa: S310
            return int(resp.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def check_enrolment(ctx: DiagnoseContext) -> CheckResult:
    """The kiosk has enrolled its device key with the intake."""
    name = "enrolment"
    kiosk_id, _, _ = _sync_settings(ctx)
    enrolment = ctx.state_dir / "enrolment.json"
    if enrolment.exists():
        return CheckResult(name, CheckStatus.OK, f"kiosk {kiosk_id or '?'} enrolled")
    if (ctx.boot_dir / "enrol-token").exists():
        return CheckResult(
            name, CheckStatus.WARN, "not yet: first-boot enrolment pending", REMEDY_PENDING
        )
    return CheckResult(
        name, CheckStatus.FAIL, "not enrolled and no enrolment token on the card", REMEDY_REFLASH
    )


def default_checks(
    ctx: DiagnoseContext,
    *,
    reader: Callable[[], CheckResult] | None = None,
    printer: Callable[[], CheckResult] | None = None,
    display: Callable[[], CheckResult] | None = None,
) -> list[Callable[[], CheckResult]]:
    """The checks ``diagnose`` runs on a device, in report order.

    The running UI passes its own ``reader``, ``printer`` and ``display`` checks (what it holds).
    """
    from kiosk.tech import checks_state as st

    return [
        lambda: st.check_settings(ctx),
        reader or check_reader,
        printer or (lambda: check_printer(ctx)),
        display or check_display,
        check_clock,
        lambda: check_intake(ctx),
        lambda: check_enrolment(ctx),
        lambda: st.check_enrolment_at_intake(ctx),
        *[lambda i=i: st.check_certificates(ctx)[i] for i in (0, 1)],
        lambda: st.check_master(ctx),
        lambda: st.check_outbox(ctx),
        st.check_units,
        lambda: st.check_free_space(ctx),
    ]


def run_checks(checks: list[Callable[[], CheckResult]]) -> list[CheckResult]:
    """Run every check; one that crashes is reported as FAIL, the rest still run."""
    results = []
    for check in checks:
        try:
            results.append(check())
        except Exception as err:
            name = getattr(check, "__name__", "check").removeprefix("check_")
            results.append(
                CheckResult(name, CheckStatus.FAIL, f"check crashed: {type(err).__name__}")
            )
    return results


MARKS = {CheckStatus.OK: "OK  ", CheckStatus.WARN: "WARN", CheckStatus.FAIL: "FAIL",
         CheckStatus.UNAVAILABLE: "N/A "}  # fmt: skip


def render_report(results: list[CheckResult]) -> str:
    """The human-readable report."""
    width = max((len(r.name) for r in results), default=0)
    lines = []
    for r in results:
        lines.append(f"[{MARKS[r.status]}] {r.name:<{width}}  {r.detail}")
        if r.remedy and r.status in (CheckStatus.WARN, CheckStatus.FAIL):
            lines.append(f"       {'':<{width}}  → {r.remedy}")
    failed = sum(r.status is CheckStatus.FAIL for r in results)
    warned = sum(r.status is CheckStatus.WARN for r in results)
    if not failed and not warned:
        lines.append("all checks passed")
    else:
        parts = [f"{failed} check(s) failed"] if failed else []
        lines.append(", ".join(parts + ([f"{warned} warning(s)"] if warned else [])))
    return "\n".join(lines)
