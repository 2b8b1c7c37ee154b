"""The one settings schema of a stand's kiosk.toml (read by UI, sync client, diagnose, flash).

Tables and keys (anything else is an error, see docs/appliance.md "Settings schema"):

- ``[sync]``: kiosk_id, intake_url, ca_file, proxy, state_dir, the sync client's timeouts and
  intervals, ``[sync.retry]``;
- ``[kiosk]``: the UI's settings (kiosk.config.KioskConfig), with ``[kiosk.printer]`` the printer
  (kiosk.hardware.printer.config), ``staff_pin_sha256`` and ``trust_dir`` (JPKI trust anchors);
- ``[network]``: hostname (the kiosk id), static address/gateway/dns (absent: DHCP), ntp servers;
- ``[update]``: url of the published update channel.

``validate_config`` returns typed :class:`EffectiveSettings` or raises :class:`ConfigInvalidError`
naming the table, the key and the problem.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization

from kiosk.config import DEMO_STAFF_PIN_SHA256, KioskConfig, KioskConfigError, load_config
from kiosk.errors import KioskError
from kiosk.hardware.printer.config import PrinterConfig
from kiosk.tech.errors import TechError

KIOSK_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
HOSTNAME_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
HOST_RE = re.compile(r"^[A-Za-z0-9.-]{1,253}$")
SHA256_HEX_RE = re.compile(r"^[0-9a-f]{64}$")
PEM_BLOCK_RE = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\r?\n.*?-----END \1-----", re.DOTALL)
PEM_SUFFIX = ".pem"
NO_FILE = Path("/nonexistent/kiosk.toml")  # load_config without a file: the table comes as kwargs

SYNC_STR_KEYS = frozenset({"kiosk_id", "intake_url", "ca_file", "proxy", "state_dir"})
SYNC_NUMBER_KEYS = frozenset({
    "connect_timeout_s", "read_timeout_s", "poll_interval_s", "heartbeat_interval_s",
    "master_interval_s", "prune_done_after_s",
})  # fmt: skip
SYNC_RETRY_KEYS = frozenset({"base_delay_s", "max_delay_s", "max_attempts", "max_age_s"})
NETWORK_KEYS = frozenset({"hostname", "address", "gateway", "dns", "ntp"})
UPDATE_KEYS = frozenset({"url", "channel"})
TABLES = frozenset({"sync", "kiosk", "network", "update"})
#: the "card was taken off" pause before the wipe: long enough to put a card back, short
#: enough that a walked-away resident's data does not stay on screen (default 30 s)
CARD_REMOVED_WIPE_S = (5.0, 120.0)


class ConfigInvalidError(TechError):
    """A kiosk.toml (or the site file it is made from) has an unknown key or an invalid value."""

    code = "config_invalid"

    def __init__(self, where: str, key: str, problem: str) -> None:
        super().__init__(f"{where}: {key}: {problem}")
        self.where = where
        self.key = key
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Anchor:
    """One trust anchor or CA certificate, for reports (subject and expiry)."""

    file: str
    subject: str
    not_after: dt.datetime | None  # None: a bare public key (CV issuer), no expiry


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    """How the stand is reached: hostname, static address or DHCP, DNS, NTP."""

    hostname: str = ""
    address: str = ""  # "192.0.2.21/24"; empty: DHCP
    gateway: str = ""
    dns: tuple[str, ...] = ()
    ntp: tuple[str, ...] = ()

    def networkd_unit(self) -> str:
        """A systemd-networkd .network file for the wired interface."""
        lines = ["[Match]", "Name=en* eth*", "", "[Network]"]
        if self.address:
            lines.append(f"Address={self.address}")
            if self.gateway:
                lines.append(f"Gateway={self.gateway}")
        else:
            lines.append("DHCP=yes")
        lines += [f"DNS={server}" for server in self.dns]
        return "\n".join(lines) + "\n"

    def timesyncd_conf(self) -> str:
        """A systemd-timesyncd drop-in naming the NTP servers ("" when none are set)."""
        return f"[Time]\nNTP={' '.join(self.ntp)}\n" if self.ntp else ""


@dataclass(frozen=True, slots=True)
class EffectiveSettings:
    """A validated kiosk.toml: what each part of the stand will run with."""

    kiosk: KioskConfig
    printer: PrinterConfig
    kiosk_id: str | None
    intake_urls: tuple[str, ...]
    ca_certificates: tuple[Anchor, ...]
    proxy: str | None
    trust_anchors: tuple[Anchor, ...]
    network: NetworkSettings
    update_url: str | None

    @property
    def staff_pin_state(self) -> str:
        """ "default" while the demo PIN's hash is configured, else "set"."""
        return "default" if self.kiosk.staff_pin_sha256 == DEMO_STAFF_PIN_SHA256 else "set"

    def as_json(self) -> dict[str, Any]:
        """The effective settings (no secrets: the PIN shows as set/default)."""
        printer = {"kind": self.printer.kind.value, "profile": self.printer.profile.name,
                   "timeout_s": self.printer.timeout_s}  # fmt: skip
        for key in ("usb_vendor_id", "usb_product_id", "host", "device", "path"):
            value = getattr(self.printer, key)
            if value not in (None, ""):
                printer[key] = value
        return {
            "kiosk_id": self.kiosk_id,
            "intake_urls": list(self.intake_urls),
            "ca_certificates": len(self.ca_certificates),
            "proxy": self.proxy,
            "printer": printer,
            "staff_pin": self.staff_pin_state,
            "trust_anchors": len(self.trust_anchors),
            "language": self.kiosk.language,
            "ward": self.kiosk.ward,
            "card_procedures": {
                "seal_card_binding_enabled": self.kiosk.seal_card_binding_enabled,
                "honseki_registration_enabled": self.kiosk.honseki_registration_enabled,
            },
            "network": {
                "hostname": self.network.hostname,
                "address": self.network.address or "dhcp",
                "gateway": self.network.gateway or None,
                "dns": list(self.network.dns),
                "ntp": list(self.network.ntp),
            },
            "update_url": self.update_url,
        }


#: device path → content, for files that are not on this machine yet (flash validates a card's
#: kiosk.toml before the card exists); paths not in it are read from disk
FileSource = Mapping[str, bytes]


def parse_anchors(name: str, blob: bytes, *, certificates_only: bool = False) -> list[Anchor]:
    """Every PEM block of ``blob`` as an Anchor; ValueError if one does not parse or none is."""
    found: list[Anchor] = []
    for match in PEM_BLOCK_RE.finditer(blob):
        kind, block = match.group(1), match.group(0)
        try:
            if kind == b"CERTIFICATE":
                cert = x509.load_pem_x509_certificate(block)
                found.append(Anchor(name, cert.subject.rfc4514_string(), cert.not_valid_after_utc))
            elif kind in (b"PUBLIC KEY", b"RSA PUBLIC KEY") and not certificates_only:
                serialization.load_pem_public_key(block)
                found.append(Anchor(name, "public key", None))
            else:
                raise ValueError(f"unexpected PEM block {kind.decode()}")
        except (ValueError, TypeError, UnsupportedAlgorithm) as err:
            raise ValueError(f"{name} holds an unreadable {kind.decode()} block ({err})") from None
    if not found:
        raise ValueError(f"{name} holds no PEM certificate")
    return found


def _read(path: str, files: FileSource | None) -> bytes:
    if files is not None and path in files:
        return files[path]
    return Path(path).read_bytes()


def _trust_files(trust_dir: str, files: FileSource | None) -> list[tuple[str, bytes]]:
    prefix = trust_dir.rstrip("/") + "/"
    if files is not None and any(p.startswith(prefix) for p in files):
        return sorted((p, c) for p, c in files.items() if p.startswith(prefix))
    folder = Path(trust_dir)
    return [(str(p), p.read_bytes()) for p in sorted(folder.iterdir())
            if p.suffix.lower() == PEM_SUFFIX and p.is_file()]  # fmt: skip


def _http_url(where: str, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ConfigInvalidError(where, key, "must be a string URL")
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigInvalidError(where, key, f"{value!r} is not an http(s) URL")
    return value


def _positive(where: str, key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigInvalidError(where, key, f"must be a positive number, not {value!r}")
    return float(value)


def _table(where: str, raw: Mapping[str, Any], name: str, keys: frozenset[str]) -> dict[str, Any]:
    table = raw.get(name, {})
    if not isinstance(table, dict):
        raise ConfigInvalidError(where, f"[{name}]", "must be a table")
    extra = sorted(set(table) - keys)
    if extra:
        raise ConfigInvalidError(where, f"[{name}] {extra[0]}", "unknown setting")
    return table


def _host_list(where: str, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and HOST_RE.match(v)
                                              for v in value):  # fmt: skip
        raise ConfigInvalidError(where, key, "must be a list of host names or addresses")
    return tuple(value)


def validate_network(where: str, table: Mapping[str, Any]) -> NetworkSettings:
    """The ``[network]`` table (also used for the site file's network settings)."""
    hostname = table.get("hostname", "")
    if hostname and (not isinstance(hostname, str) or not HOSTNAME_RE.match(hostname)):
        raise ConfigInvalidError(where, "[network] hostname", f"{hostname!r} is not a host name")
    address = table.get("address", "")
    gateway = table.get("gateway", "")
    dns = table.get("dns", [])
    if not isinstance(address, str) or not isinstance(gateway, str):
        raise ConfigInvalidError(where, "[network] address/gateway", "must be strings")
    if not isinstance(dns, list) or not all(isinstance(d, str) for d in dns):
        raise ConfigInvalidError(where, "[network] dns", "must be a list of IP addresses")
    if address and "/" not in address:
        raise ConfigInvalidError(where, "[network] address", "needs a prefix, e.g. 192.0.2.21/24")
    try:
        iface = ipaddress.ip_interface(address) if address else None
        gw = ipaddress.ip_address(gateway) if gateway else None
        for server in dns:
            ipaddress.ip_address(server)
    except ValueError as err:
        raise ConfigInvalidError(where, "[network]", str(err)) from None
    if iface is not None and gw is not None and gw not in iface.network:
        raise ConfigInvalidError(where, "[network] gateway", f"{gw} is outside {iface.network}")
    return NetworkSettings(
        hostname=str(hostname), address=str(address), gateway=str(gateway), dns=tuple(dns),
        ntp=_host_list(where, "[network] ntp", table.get("ntp", [])),
    )  # fmt: skip


def _validate_sync(where: str, sync: Mapping[str, Any]) -> None:
    for key in SYNC_STR_KEYS & set(sync):
        if not isinstance(sync[key], str):
            raise ConfigInvalidError(where, f"[sync] {key}", "must be a string")
    for key in SYNC_NUMBER_KEYS & set(sync):
        _positive(where, f"[sync] {key}", sync[key])
    kiosk_id = sync.get("kiosk_id")
    if kiosk_id is not None and not KIOSK_ID_RE.match(kiosk_id):
        raise ConfigInvalidError(where, "[sync] kiosk_id", f"{kiosk_id!r} (letters, digits, . _ -)")
    retry = sync.get("retry", {})
    if not isinstance(retry, dict):
        raise ConfigInvalidError(where, "[sync.retry]", "must be a table")
    for key, value in retry.items():
        if key not in SYNC_RETRY_KEYS:
            raise ConfigInvalidError(where, f"[sync.retry] {key}", "unknown setting")
        _positive(where, f"[sync.retry] {key}", value)


def validate_config(
    raw: Mapping[str, Any], where: str, files: FileSource | None = None
) -> EffectiveSettings:
    """Check a parsed kiosk.toml; ``files`` supplies files not on this machine (see FileSource)."""
    extra = sorted(set(raw) - TABLES)
    if extra:
        raise ConfigInvalidError(where, f"[{extra[0]}]", "unknown table")
    sync = _table(where, raw, "sync", SYNC_STR_KEYS | SYNC_NUMBER_KEYS | {"retry"})
    _validate_sync(where, sync)
    urls = (_http_url(where, "[sync] intake_url", sync["intake_url"]),) if "intake_url" in sync \
        else ()  # fmt: skip
    proxy = _http_url(where, "[sync] proxy", sync["proxy"]) if "proxy" in sync else None
    cas: tuple[Anchor, ...] = ()
    if "ca_file" in sync:
        try:
            blob = _read(sync["ca_file"], files)
            cas = tuple(parse_anchors(sync["ca_file"], blob, certificates_only=True))
        except OSError as err:
            raise ConfigInvalidError(where, "[sync] ca_file", f"cannot read: {err}") from None
        except ValueError as err:
            raise ConfigInvalidError(where, "[sync] ca_file", f"not a certificate: {err}") from None
    table = raw.get("kiosk", {})
    if not isinstance(table, dict):
        raise ConfigInvalidError(where, "[kiosk]", "must be a table")
    try:
        kiosk = load_config(NO_FILE, environ={}, **table)
        printer = PrinterConfig.from_mapping(kiosk.printer)
    except KioskConfigError as err:
        raise ConfigInvalidError(where, f"[kiosk] {err.key}", err.problem) from None
    except KioskError as err:  # PrinterConfigError, unknown profile
        raise ConfigInvalidError(where, "[kiosk.printer]", str(err)) from None
    if not SHA256_HEX_RE.match(kiosk.staff_pin_sha256):
        raise ConfigInvalidError(where, "[kiosk] staff_pin_sha256", "must be 64 hex digits")
    if not CARD_REMOVED_WIPE_S[0] <= kiosk.card_removed_wipe_s <= CARD_REMOVED_WIPE_S[1]:
        low, high = CARD_REMOVED_WIPE_S
        problem = f"must be {low:g}–{high:g} s"
        raise ConfigInvalidError(where, "[kiosk] card_removed_wipe_s", problem)
    anchors: list[Anchor] = []
    if kiosk.trust_dir:
        try:
            for name, blob in _trust_files(kiosk.trust_dir, files):
                anchors += parse_anchors(name, blob)
        except OSError as err:
            raise ConfigInvalidError(where, "[kiosk] trust_dir", f"cannot read: {err}") from None
        except ValueError as err:
            raise ConfigInvalidError(where, "[kiosk] trust_dir", str(err)) from None
    network = validate_network(where, _table(where, raw, "network", NETWORK_KEYS))
    update = _table(where, raw, "update", UPDATE_KEYS)
    update_url = _http_url(where, "[update] url", update["url"]) if "url" in update else None
    return EffectiveSettings(
        kiosk=kiosk, printer=printer, kiosk_id=sync.get("kiosk_id"), intake_urls=urls,
        ca_certificates=cas, proxy=proxy, trust_anchors=tuple(anchors), network=network,
        update_url=update_url,
    )  # fmt: skip


def load_effective(path: Path, files: FileSource | None = None) -> EffectiveSettings:
    """Read and check a kiosk.toml on this machine (``files``: see FileSource)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigInvalidError(str(path), "file", "not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigInvalidError(str(path), "file", f"cannot read: {err}") from None
    return validate_config(raw, str(path), files)
