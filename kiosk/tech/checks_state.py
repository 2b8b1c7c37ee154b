"""``diagnose`` checks of the stand's state: certificates, master data, outbox, units, free space.

Each returns a typed CheckResult with a plain remedy; all run as the kiosk user (read-only access
to /var/lib/kiosk, ``systemctl is-active`` needs no privileges). The UI can call them directly.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

from kiosk.tech.checks import CheckResult, CheckStatus, DiagnoseContext
from kiosk.tech.settings import Anchor, ConfigInvalidError, EffectiveSettings, load_effective

#: certificates expiring sooner than this are a warning
EXPIRY_WARN = dt.timedelta(days=30)
FREE_FAIL_BYTES = 100 * 1024**2
FREE_WARN_BYTES = 500 * 1024**2
#: outbox messages not yet acknowledged; more than this is a warning (the intake is behind)
BACKLOG_WARN = 20
UNITS = ("kiosk-ui.service", "kiosk-sync.service", "kiosk-master-sync.timer",
         "kiosk-update.timer")  # fmt: skip
Now = Callable[[], dt.datetime]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _effective(ctx: DiagnoseContext) -> EffectiveSettings:
    """kiosk.toml, with the CA taken from KIOSK_CA_FILE when set (as server_sync does)."""
    override = os.environ.get("KIOSK_CA_FILE")
    files = None
    if override:
        sync = ctx.config().get("sync", {})
        named = sync.get("ca_file") if isinstance(sync, dict) else None
        if isinstance(named, str):
            try:
                files = {named: Path(override).read_bytes()}
            except OSError:
                files = None
    return load_effective(ctx.config_path, files)


def check_settings(ctx: DiagnoseContext) -> CheckResult:
    """kiosk.toml passes the settings schema."""
    try:
        eff = _effective(ctx)
    except ConfigInvalidError as err:
        return CheckResult("settings", CheckStatus.FAIL, str(err),
                           "re-flash with a site file that passes config-check")  # fmt: skip
    pin = "staff PIN " + eff.staff_pin_state
    if eff.staff_pin_state == "default":
        return CheckResult("settings", CheckStatus.WARN, pin + " (demo 0000)",
                           "set staff_pin in the site file and re-flash")  # fmt: skip
    return CheckResult("settings", CheckStatus.OK, f"printer {eff.printer.kind.value}, {pin}")


def _expiry(anchors: tuple[Anchor, ...], what: str, now: dt.datetime) -> CheckResult:
    dated = [a for a in anchors if a.not_after is not None]
    if not anchors:
        return CheckResult(what, CheckStatus.WARN, "none configured",
                           "add them to the site file and re-flash")  # fmt: skip
    expired = [a for a in dated if a.not_after is not None and a.not_after < now]
    soon = [a for a in dated if a.not_after is not None and now <= a.not_after < now + EXPIRY_WARN]
    first = min((a.not_after for a in dated if a.not_after), default=None)
    detail = f"{len(anchors)} found" + (f", first expiry {first:%Y-%m-%d}" if first else "")
    if expired:
        return CheckResult(what, CheckStatus.FAIL, f"{expired[0].subject} expired "
                           f"{expired[0].not_after:%Y-%m-%d}", "install current certificates "
                           "(new site file, re-flash) — check the clock first")  # fmt: skip
    if soon:
        return CheckResult(what, CheckStatus.WARN, detail,
                           "renew before expiry and re-flash")  # fmt: skip
    return CheckResult(what, CheckStatus.OK, detail)


def check_certificates(ctx: DiagnoseContext, now: Now = _utc_now) -> list[CheckResult]:
    """The intake CA and the JPKI trust anchors, with expiry."""
    try:
        eff = _effective(ctx)
    except ConfigInvalidError as err:
        bad = CheckResult("certificates", CheckStatus.FAIL, str(err), "re-flash the card")
        return [bad]
    return [_expiry(eff.ca_certificates, "intake CA", now()),
            _expiry(eff.trust_anchors, "trust anchors", now())]  # fmt: skip


def check_master(ctx: DiagnoseContext) -> CheckResult:
    """The address master the UI opens (state_dir/master/current)."""
    current = ctx.state_dir / "master" / "current"
    if not current.exists():
        return CheckResult("master data", CheckStatus.FAIL, "no master data",
                           "check the intake; kiosk-master-sync.timer retries")  # fmt: skip
    version = current.resolve().name
    return CheckResult("master data", CheckStatus.OK, f"version {version}")


def check_outbox(ctx: DiagnoseContext) -> CheckResult:
    """Filings waiting to be sent and dead letters (read-only, no decryption)."""
    db = ctx.state_dir / "outbox.db"
    if not db.exists():
        return CheckResult("outbox", CheckStatus.OK, "empty (no filings yet)")
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            rows = dict(
                conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall()
            )
    except sqlite3.Error as err:
        return CheckResult("outbox", CheckStatus.FAIL, f"unreadable: {err}",
                           "call the maintainer; do not delete the file")  # fmt: skip
    backlog = rows.get("ready", 0) + rows.get("sending", 0)
    dead = rows.get("dead", 0)
    detail = f"backlog {backlog}, dead letters {dead}"
    if dead:
        return CheckResult(
            "outbox",
            CheckStatus.FAIL,
            detail,
            "the clerk console's fleet page lists them; call the maintainer",
        )
    if backlog > BACKLOG_WARN:
        return CheckResult("outbox", CheckStatus.WARN, detail, "check the network and the intake")
    return CheckResult("outbox", CheckStatus.OK, detail)


def _unit_state(unit: str) -> str | None:
    tool = shutil.which("systemctl")
    if tool is None:
        return None
    proc = subprocess.run(  # noqa: S603 - fixed tool and unit names
        [tool, "is-active", unit], capture_output=True, text=True, check=False, timeout=10
    )
    return proc.stdout.strip() or "unknown"


def check_units(state_of: Callable[[str], str | None] = _unit_state) -> CheckResult:
    """The kiosk's services and timers are active."""
    states = {unit: state_of(unit) for unit in UNITS}
    if all(s is None for s in states.values()):
        return CheckResult("units", CheckStatus.UNAVAILABLE, "no systemd here")
    bad = [f"{u} {s}" for u, s in states.items() if s not in ("active", None)]
    if bad:
        return CheckResult("units", CheckStatus.FAIL, ", ".join(bad),
                           "restart the stand; if it stays, call the maintainer")  # fmt: skip
    return CheckResult("units", CheckStatus.OK, "all active")


def check_free_space(ctx: DiagnoseContext) -> CheckResult:
    """Free space on the data partition."""
    path = ctx.state_dir if ctx.state_dir.exists() else Path("/")
    free = shutil.disk_usage(path).free
    detail = f"{free // 1024**2} MiB free on {path}"
    if free < FREE_FAIL_BYTES:
        return CheckResult("free space", CheckStatus.FAIL, detail, "call the maintainer")
    if free < FREE_WARN_BYTES:
        return CheckResult("free space", CheckStatus.WARN, detail, "call the maintainer soon")
    return CheckResult("free space", CheckStatus.OK, detail)


def _probe_intake(ctx: DiagnoseContext) -> str | None:
    """A kiosk-signed read (the master manifest): None when accepted, else the intake's code."""
    from server_sync.config import load_settings
    from server_sync.errors import RejectedError
    from server_sync.runtime import intake_client

    env = dict(os.environ, KIOSK_CONFIG=str(ctx.config_path), KIOSK_STATE_DIR=str(ctx.state_dir))
    with intake_client(load_settings(env)) as client:
        try:
            client.get_manifest(None)
        except RejectedError as err:
            # not_found: the signature was accepted, only no master set is published yet
            return None if err.error == "not_found" else err.error
    return None


def check_enrolment_at_intake(
    ctx: DiagnoseContext, probe: Callable[[DiagnoseContext], str | None] = _probe_intake
) -> CheckResult:
    """The intake accepts this kiosk's signed requests (revoked or unknown → red)."""
    name = "enrolment at intake"
    if not (ctx.state_dir / "enrolment.json").exists():
        return CheckResult(name, CheckStatus.UNAVAILABLE, "not enrolled yet (see enrolment)")
    try:
        refused = probe(ctx)
    except Exception as err:  # unreachable, TLS, missing key: a finding, not a crash
        return CheckResult(name, CheckStatus.WARN, f"not checked: {type(err).__name__}: {err}",
                           "see the intake check (network, proxy, CA)")  # fmt: skip
    if refused == "revoked_kiosk":
        return CheckResult(name, CheckStatus.FAIL, "this kiosk is REVOKED at the intake",
                           "ask the intake admin; re-flash the card with a new token")  # fmt: skip
    if refused is not None:
        return CheckResult(name, CheckStatus.FAIL, f"the intake refuses this kiosk ({refused})",
                           "re-flash the card with a new token")  # fmt: skip
    return CheckResult(name, CheckStatus.OK, "signed requests accepted")
