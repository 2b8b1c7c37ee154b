"""Updates that commit or roll back: fetch a published bundle, install it for one trial boot, and
mark it good only when the stand is healthy (docs/appliance.md "Updates").

- ``update-fetch`` (kiosk-update.timer → kiosk-update.service, root): reads ``[update] url`` +
  ``/channel.json`` over the intake's CA and the configured proxy, decides whether this kiosk is in
  the staged rollout (a list of kiosk ids and/or a share), downloads the bundle, checks its
  SHA-256, runs ``rauc install`` (RAUC checks the signature against /etc/rauc/keyring.pem and
  puts the other slot first in U-Boot's BOOT_ORDER with one attempt), then reboots plainly:
  U-Boot's boot.scr tries the new slot once.
- ``update-commit`` (kiosk-update-commit.service, after every boot): on a trial boot (RAUC's
  state, ``kiosk.tech.slot_state``), waits up to a set time for health (kiosk-ui.service active
  = READY=1 sent, and the intake's /healthz answering), then ``rauc status mark-good``; otherwise
  ``rauc status mark-bad`` and a reboot, which starts the old slot again. A committed slot's
  boot is confirmed with ``mark-good`` right away (U-Boot counts every boot).

The decisions are pure functions over injectable probes (tested without a device).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import ssl
import subprocess
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from kiosk.tech.errors import TechError
from kiosk.tech.settings import EffectiveSettings
from kiosk.tech.slot_state import BootState, boot_state
from server_sync.rollout import chosen
from server_sync.rollout import rollout_bucket as rollout_bucket  # re-exported

CHANNEL_FILE = "channel.json"
HTTP_TIMEOUT_S = 30.0
DOWNLOAD_CHUNK = 1024 * 1024
#: how long a trial boot has to become healthy before it is rolled back
HEALTH_TIMEOUT_S = 300.0
HEALTH_POLL_S = 5.0
BUNDLE_DIR = Path("/var/lib/rauc/download")  # on the data partition (rauc's data-directory)
SHA256_LEN = 64


class UpdateError(TechError):
    """An update could not be fetched or installed; the running slot is untouched."""

    code = "update_failed"


@dataclass(frozen=True, slots=True)
class Channel:
    """What the central side publishes: one bundle and who gets it."""

    version: str
    bundle: str  # URL relative to the channel file
    sha256: str
    kiosks: tuple[str, ...] = ()  # these kiosk ids get it ...
    share: float = 0.0  # ... plus this share of all kiosks (0.0–1.0)

    @classmethod
    def parse(cls, raw: object) -> Channel:
        """Validate a parsed channel.json."""
        if not isinstance(raw, dict):
            raise UpdateError("channel.json is not an object")
        try:
            rollout = raw.get("rollout", {})
            channel = cls(
                version=str(raw["version"]),
                bundle=str(raw["bundle"]),
                sha256=str(raw["sha256"]).lower(),
                kiosks=tuple(str(k) for k in rollout.get("kiosks", [])),
                share=float(rollout.get("share", 0.0)),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise UpdateError(f"channel.json is incomplete: {err}") from None
        if len(channel.sha256) != SHA256_LEN or not 0.0 <= channel.share <= 1.0:
            raise UpdateError("channel.json: sha256 must be 64 hex digits, share in 0..1")
        return channel


def in_rollout(channel: Channel, kiosk_id: str) -> bool:
    """Whether ``kiosk_id`` takes this version now (the rule the console's fleet view shows)."""
    return chosen(kiosk_id, channel.version, channel.kiosks, channel.share)


def _context(settings: EffectiveSettings) -> ssl.SSLContext:
    ca = settings.ca_certificates[0].file if settings.ca_certificates else None
    return ssl.create_default_context(cafile=ca)


def _opener(settings: EffectiveSettings) -> urllib.request.OpenerDirector:
    proxies = {"http": settings.proxy, "https": settings.proxy} if settings.proxy else {}
    return urllib.request.build_opener(
        urllib.request.ProxyHandler(proxies),
        urllib.request.HTTPSHandler(context=_context(settings)),
    )


def fetch_channel(settings: EffectiveSettings) -> tuple[Channel, str]:
    """The published channel and its URL."""
    if not settings.update_url:
        raise UpdateError("no [update] url in kiosk.toml: updates are not configured")
    url = settings.update_url.rstrip("/") + "/" + CHANNEL_FILE
    try:
        with _opener(settings).open(url, timeout=HTTP_TIMEOUT_S) as resp:
            return Channel.parse(json.loads(resp.read(64 * 1024))), url
    except (OSError, ValueError) as err:
        raise UpdateError(f"{url}: {err}") from None


def download(settings: EffectiveSettings, url: str, sha256: str, dest: Path) -> Path:
    """Download ``url`` to ``dest`` and check its SHA-256 (a bad file is removed)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    tmp = dest.with_name(dest.name + ".part")
    try:
        with _opener(settings).open(url, timeout=HTTP_TIMEOUT_S) as resp, open(tmp, "wb") as out:
            while chunk := resp.read(DOWNLOAD_CHUNK):
                digest.update(chunk)
                out.write(chunk)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise UpdateError(f"download of {url} failed: {err}") from None
    if digest.hexdigest() != sha256:
        tmp.unlink(missing_ok=True)
        raise UpdateError(f"{url}: SHA-256 differs from channel.json; not installed")
    tmp.replace(dest)
    return dest


def _run(args: list[str], timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    tool = shutil.which(args[0]) or shutil.which(args[0], path="/usr/sbin:/usr/bin:/sbin:/bin")
    if tool is None:
        raise UpdateError(f"{args[0]} is not installed")
    return subprocess.run(  # noqa: S603 - fixed tools, our arguments
        [tool, *args[1:]], capture_output=True, text=True, check=False, timeout=timeout
    )


def rauc_status() -> dict[str, object]:
    """``rauc status --output-format=json``."""
    proc = _run(["rauc", "status", "--detailed", "--output-format=json"], timeout=60)
    if proc.returncode != 0:
        raise UpdateError(f"rauc status failed: {proc.stderr.strip()}")
    data = json.loads(proc.stdout)
    if not isinstance(data, dict):
        raise UpdateError("rauc status: unexpected output")
    return data


def booted_version(status: dict[str, object]) -> str:
    """The bundle version of the booted slot ("" when RAUC never installed one: the SD image)."""
    booted = status.get("booted")
    slots = status.get("slots")
    for slot in slots if isinstance(slots, list) else []:
        for info in slot.values() if isinstance(slot, dict) else []:
            if isinstance(info, dict) and info.get("bootname") == booted:
                bundle = (info.get("slot_status") or {}).get("bundle", {})
                return str(bundle.get("version", "")) if isinstance(bundle, dict) else ""
    return ""


@dataclass(frozen=True, slots=True)
class Updater:
    """The side effects of an update run, replaceable in tests."""

    channel: Callable[[], tuple[Channel, str]]
    current_version: Callable[[], str]
    fetch: Callable[[str, str], Path]  # (url, sha256) → local bundle
    install: Callable[[Path], None]
    reboot: Callable[[], None]


def run_update(kiosk_id: str, updater: Updater) -> str:
    """One timer run; returns what happened (for the journal)."""
    channel, url = updater.channel()
    current = updater.current_version()
    if channel.version == current:
        return f"up to date ({current})"
    if not in_rollout(channel, kiosk_id):
        return f"{channel.version} published, {kiosk_id} not in its rollout yet"
    bundle = updater.fetch(urljoin(url, channel.bundle), channel.sha256)
    updater.install(bundle)
    updater.reboot()
    return f"{channel.version} installed; rebooting into it for one trial boot"


def device_updater(settings: EffectiveSettings) -> Updater:
    """The real updater on a stand (RAUC, systemd)."""

    def install(bundle: Path) -> None:
        proc = _run(["rauc", "install", str(bundle)])
        bundle.unlink(missing_ok=True)
        if proc.returncode != 0:
            raise UpdateError(f"rauc install refused the bundle: {proc.stderr.strip()[-300:]}")

    def reboot() -> None:
        # A plain reboot: U-Boot's boot.scr takes the new slot, first in BOOT_ORDER, once.
        _run(["systemctl", "reboot"], timeout=60)

    return Updater(
        channel=lambda: fetch_channel(settings),
        current_version=lambda: booted_version(rauc_status()),
        fetch=lambda url, sha: download(settings, url, sha, BUNDLE_DIR / "update.raucb"),
        install=install,
        reboot=reboot,
    )


def wait_healthy(
    checks: list[Callable[[], bool]], timeout_s: float = HEALTH_TIMEOUT_S,
    poll_s: float = HEALTH_POLL_S, clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:  # fmt: skip
    """True as soon as every check passes; False when ``timeout_s`` ran out first."""
    deadline = clock() + timeout_s
    while True:
        if all(check() for check in checks):
            return True
        if clock() >= deadline:
            return False
        sleep(poll_s)


@dataclass(frozen=True, slots=True)
class Committer:
    """The side effects of the health-gated commit, replaceable in tests."""

    state: Callable[[], BootState]
    healthy: Callable[[], bool]  # waits (bounded) for health
    mark: Callable[[str], None]  # "good" or "bad" (the booted slot)
    reboot: Callable[[], None]


def commit_or_roll_back(committer: Committer) -> str:
    """Mark a trial boot good when healthy; else mark it bad and reboot into the old slot.

    A committed slot's boot is confirmed at once (U-Boot decrements its counter every boot).
    A trial with nothing to fall back to is kept: rebooting could only start it again.
    """
    state = committer.state()
    if not state.booted:
        return "not booted through RAUC (no rauc.slot=): nothing to commit"
    if not state.trial:
        committer.mark("good")
        return f"not a trial boot: slot {state.booted} confirmed ({state.describe()})"
    if committer.healthy():
        committer.mark("good")
        return f"trial boot of slot {state.booted} healthy: marked good (committed)"
    if not state.fallback:
        committer.mark("good")
        return (
            f"trial boot of slot {state.booted} unhealthy, but no other slot to fall back to: kept"
        )
    committer.mark("bad")
    committer.reboot()
    return (
        f"trial boot of slot {state.booted} unhealthy: marked bad, "
        f"rebooting into the previous slot {state.fallback}"
    )


def _plain_reboot() -> None:
    """A normal reboot: after mark-bad, U-Boot's boot.scr skips the trial slot (0 attempts)."""
    _run(["systemctl", "reboot"], timeout=60)


def device_committer(config: Path, state_dir: Path, timeout_s: float) -> Committer:
    """The real health gate on a stand."""
    from kiosk.tech.checks import CheckStatus, DiagnoseContext, check_intake

    ctx = DiagnoseContext(config_path=config, state_dir=state_dir)

    def ui_ready() -> bool:
        proc = _run(["systemctl", "is-active", "kiosk-ui.service"], timeout=10)
        return proc.stdout.strip() == "active"  # Type=notify: active only after READY=1

    def intake_ok() -> bool:
        return check_intake(ctx).status is CheckStatus.OK

    def mark(state: str) -> None:
        proc = _run(["rauc", "status", f"mark-{state}"], timeout=60)
        if proc.returncode != 0:
            raise UpdateError(f"rauc status mark-{state} failed: {proc.stderr.strip()}")

    return Committer(
        state=lambda: boot_state(rauc_status()),
        healthy=lambda: wait_healthy([ui_ready, intake_ok], timeout_s),
        mark=mark,
        reboot=_plain_reboot,
    )
