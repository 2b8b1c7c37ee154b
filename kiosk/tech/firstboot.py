"""``firstboot``: install the technician's files from the boot partition and enrol, once.

Run as root by kiosk-firstboot.service. The token is removed from the boot partition only after
the intake accepted the enrolment; the stamp file makes later boots skip the unit.
"""

from __future__ import annotations

import grp
import os
import pwd
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.tech.errors import ProvisioningError
from kiosk.tech.settings import KIOSK_ID_RE
from kiosk.tech.site import FILE_CA, FILE_CONFIG, FILE_TOKEN, TOKEN_RE, TRUST_PREFIX

STAMP = ".provisioned"
CONFIG_SUBDIR = "config"
TRUST_SUBDIR = "trust"  # site.DEVICE_TRUST_DIR
ENROLMENT_FILE = "enrolment.json"
ENROL_TIMEOUT_S = 120


@dataclass(frozen=True, slots=True)
class EnrolRequest:
    """What ``server_sync enrol`` needs."""

    url: str
    token: str
    kiosk_id: str
    ca_file: Path
    state_dir: Path
    config_file: Path


Enrol = Callable[[EnrolRequest], None]
#: fetch the master data once right after enrolment; returns an error text or None
PullMaster = Callable[[EnrolRequest], "str | None"]


def enrol_with_server_sync(req: EnrolRequest) -> None:
    """Run ``python -m server_sync enrol`` (the sync client owns keys and the protocol)."""
    env = dict(os.environ, KIOSK_STATE_DIR=str(req.state_dir), KIOSK_CONFIG=str(req.config_file))
    proc = subprocess.run(  # noqa: S603 - our interpreter, validated arguments, no shell
        [sys.executable, "-m", "server_sync", "enrol", "--url", req.url, "--token", req.token,
         "--kiosk-id", req.kiosk_id, "--ca", str(req.ca_file)],
        capture_output=True, text=True, env=env, timeout=ENROL_TIMEOUT_S, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        # The sync client's own message names the problem (bad_token, unreachable, ...).
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise ProvisioningError(f"enrolment failed (exit {proc.returncode}): {last}")


def pull_master_with_server_sync(req: EnrolRequest) -> str | None:
    """Run ``python -m server_sync pull-master`` once; the UI needs an address master to start."""
    env = dict(os.environ, KIOSK_STATE_DIR=str(req.state_dir), KIOSK_CONFIG=str(req.config_file),
               KIOSK_CA_FILE=str(req.ca_file))  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "server_sync", "pull-master"],
        capture_output=True, text=True, env=env, timeout=ENROL_TIMEOUT_S, check=False,
    )  # fmt: skip
    if proc.returncode == 0:
        return None
    return (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]


def _install(path: Path, content: bytes, mode: int, gid: int | None) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, mode)
    if gid is not None:
        os.chown(tmp, 0, gid)
    os.replace(tmp, path)


def _chown_tree(root: Path, uid: int, gid: int, skip: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == skip:
            dirnames[:] = []
            continue
        os.chown(here, uid, gid)
        for name in filenames:
            os.chown(here / name, uid, gid, follow_symlinks=False)


def _shred(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.write(b"\0" * size)
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink()


def run_firstboot(
    boot_dir: Path,
    state_dir: Path,
    user: str | None,
    enrol: Enrol = enrol_with_server_sync,
    pull_master: PullMaster = pull_master_with_server_sync,
) -> str:
    """Provision from ``boot_dir`` into ``state_dir``; returns what happened (for the journal)."""
    if (state_dir / STAMP).exists():
        return "already provisioned"
    try:
        config_bytes = (boot_dir / FILE_CONFIG).read_bytes()
        ca_bytes = (boot_dir / FILE_CA).read_bytes()
    except OSError as err:
        raise ProvisioningError(f"provisioning files missing on the boot partition: {err}") from err
    try:
        sync = tomllib.loads(config_bytes.decode("utf-8")).get("sync", {})
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ProvisioningError(f"{boot_dir / FILE_CONFIG} is not valid TOML: {err}") from err
    kiosk_id, url = sync.get("kiosk_id"), sync.get("intake_url")
    if not isinstance(kiosk_id, str) or not KIOSK_ID_RE.match(kiosk_id) or not isinstance(url, str):
        raise ProvisioningError(f"{boot_dir / FILE_CONFIG}: [sync] kiosk_id / intake_url invalid")
    uid = gid = None
    if user is not None:
        uid, gid = pwd.getpwnam(user).pw_uid, grp.getgrnam(user).gr_gid
    config_dir = state_dir / CONFIG_SUBDIR
    config_dir.mkdir(parents=True, exist_ok=True, mode=0o750)
    if gid is not None:
        os.chown(config_dir, 0, gid)
    _install(config_dir / FILE_CA, ca_bytes, 0o640, gid)
    anchors = sorted(boot_dir.glob(TRUST_PREFIX + "*.pem"))
    if anchors:  # JPKI trust anchors: kiosk.toml's [kiosk] trust_dir points at config/trust
        trust_dir = config_dir / TRUST_SUBDIR
        trust_dir.mkdir(exist_ok=True, mode=0o750)
        if gid is not None:
            os.chown(trust_dir, 0, gid)
        for anchor in anchors:
            name = anchor.name.removeprefix(TRUST_PREFIX)
            _install(trust_dir / name, anchor.read_bytes(), 0o640, gid)
    _install(config_dir / FILE_CONFIG, config_bytes, 0o640, gid)

    token_path = boot_dir / FILE_TOKEN
    if not (state_dir / ENROLMENT_FILE).exists():
        try:
            token = token_path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as err:
            raise ProvisioningError(f"no enrolment token on the boot partition: {err}") from err
        if not TOKEN_RE.match(token):
            raise ProvisioningError(f"{token_path} does not hold a valid token")
        req = EnrolRequest(url, token, kiosk_id, config_dir / FILE_CA, state_dir,
                           config_dir / FILE_CONFIG)  # fmt: skip
        enrol(req)
        outcome = f"kiosk {kiosk_id} enrolled with {url}"
        # Best effort: kiosk-master-sync.timer retries; the UI shows out of service meanwhile.
        problem = pull_master(req)
        outcome += "; master data pulled" if problem is None else f"; master pull failed: {problem}"
    else:
        outcome = f"kiosk {kiosk_id} was already enrolled"
    if token_path.exists():
        _shred(token_path)
    if uid is not None and gid is not None:
        _chown_tree(state_dir, uid, gid, skip=config_dir)
    _install(state_dir / STAMP, (outcome + "\n").encode(), 0o644, None)
    return outcome
