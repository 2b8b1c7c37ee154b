"""``netconfig`` (kiosk-netconfig.service, early at every boot): the stand's hostname, static
address, DNS and NTP servers from kiosk.toml ``[network]``, written to /run (the root is read-only):

- ``/run/systemd/network/10-kiosk.network`` (sorts before the image's 20-wired.network: DHCP),
- ``/run/systemd/timesyncd.conf.d/kiosk.conf``,
- the kernel hostname (``/proc/sys/kernel/hostname``) = the kiosk id.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kiosk.tech.settings import NETWORK_KEYS, ConfigInvalidError, validate_network

DEFAULT_CONFIGS = (
    Path("/var/lib/kiosk/config/kiosk.toml"),
    Path("/boot/firmware/kiosk/kiosk.toml"),
)
NETWORK_FILE = "systemd/network/10-kiosk.network"
TIMESYNC_FILE = "systemd/timesyncd.conf.d/kiosk.conf"
KERNEL_HOSTNAME = Path("/proc/sys/kernel/hostname")


@dataclass(frozen=True, slots=True)
class NetPaths:
    """Where the files go (tests point these into a scratch directory)."""

    run_dir: Path = Path("/run")
    hostname: Path = KERNEL_HOSTNAME


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, 0o644)
    tmp.replace(path)


def apply(configs: tuple[Path, ...] = DEFAULT_CONFIGS, paths: NetPaths | None = None) -> str:
    """Apply the first existing kiosk.toml's [network]; returns what was done."""
    paths = paths or NetPaths()
    config = next((c for c in configs if c.is_file()), None)
    if config is None:
        return "no kiosk.toml yet: DHCP, image hostname"
    try:  # only [network]: on the first boot the CA named in [sync] is not installed yet
        raw = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigInvalidError(str(config), "file", f"cannot read: {err}") from None
    table = raw.get("network", {})
    if not isinstance(table, dict) or set(table) - NETWORK_KEYS:
        raise ConfigInvalidError(str(config), "[network]", "unknown setting or not a table")
    net = validate_network(str(config), table)
    done = []
    network_file = paths.run_dir / NETWORK_FILE
    if net.address or net.dns:
        _write(network_file, net.networkd_unit())
        done.append(f"static {net.address}" if net.address else "DHCP with DNS")
    else:
        network_file.unlink(missing_ok=True)
        done.append("DHCP")
    timesync = paths.run_dir / TIMESYNC_FILE
    if net.ntp:
        _write(timesync, net.timesyncd_conf())
        done.append("NTP " + " ".join(net.ntp))
    else:
        timesync.unlink(missing_ok=True)
    if net.hostname:
        paths.hostname.write_text(net.hostname + "\n", encoding="ascii")
        done.append(f"hostname {net.hostname}")
    return ", ".join(done)
