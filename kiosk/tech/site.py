"""The site file a technician brings (SITE.toml, one per ward) and the per-device files from it.

Example (every table but [site] is optional; docs/appliance.md "Site file" lists every key)::

    [site]
    name = "Example City Hall, main building"
    intake_url = "https://intake.example.lg.jp:8443"
    ca_file = "intake-ca.pem"            # relative to the site file; must parse as a certificate
    trust_anchors = ["jpki-root.pem"]    # JPKI roots / CV issuer keys for the card stack
    staff_pin_sha256 = "…"               # or staff_pin = "482913" (only its hash reaches the card);
                                         # absent: a random PIN per stand, in the batch record
    proxy = "http://proxy.example.lg.jp:3128"
    ntp = ["ntp.example.lg.jp"]
    update_url = "https://intake.example.lg.jp:8443/updates"

    [network]                            # absent: DHCP
    gateway = "192.0.2.1"
    dns = ["192.0.2.53"]
    [network.addresses]
    "kiosk-001" = "192.0.2.21/24"

    [printer]                            # becomes [kiosk.printer] of the stand's kiosk.toml
    kind = "usb"
    usb_vendor_id = 0x04b8
    usb_product_id = 0x0e28

    [kiosk]                              # any other UI setting (language, counter, ward …)
    ward = "市"

    [tokens]                             # one-time enrolment tokens (or `kiosk.tech batch`)
    "kiosk-001" = "tok_..."
"""

from __future__ import annotations

import hashlib
import re
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.config import DEMO_STAFF_PIN_SHA256
from kiosk.tech.errors import SiteConfigError
from kiosk.tech.settings import (
    KIOSK_ID_RE,
    SHA256_HEX_RE,
    ConfigInvalidError,
    EffectiveSettings,
    parse_anchors,
    validate_config,
)

TOKEN_RE = re.compile(r"^[A-Za-z0-9._~+/=-]{8,512}$")
STAFF_PIN_RE = re.compile(r"^[0-9]{4,12}$")
#: digits of a generated per-stand staff PIN
GENERATED_PIN_DIGITS = 6

#: names of the per-device files in the boot partition's kiosk/ directory
BOOT_CONFIG_DIR = "kiosk"
FILE_CONFIG = "kiosk.toml"
FILE_CA = "ca.pem"
FILE_TOKEN = "enrol-token"  # noqa: S105 - a file name, not a secret
TRUST_PREFIX = "trust-"  # boot files trust-<name>.pem → DEVICE_TRUST_DIR/<name>.pem
#: where firstboot installs the CA and anchors on the device (kiosk.toml points there)
DEVICE_CONFIG_DIR = "/var/lib/kiosk/config"
DEVICE_TRUST_DIR = DEVICE_CONFIG_DIR + "/trust"
#: the spoken prompts the image carries (image-build/hooks/customize.sh); voice stays off
DEVICE_VOICE_DIR = "/usr/share/kiosk/voice"

SITE_KEYS = frozenset({"name", "intake_url", "ca_file", "trust_anchors", "staff_pin",
                       "staff_pin_sha256", "proxy", "ntp", "update_url"})  # fmt: skip
NETWORK_SITE_KEYS = frozenset({"gateway", "dns", "addresses"})
TOP_TABLES = frozenset({"site", "network", "printer", "kiosk", "tokens"})
#: [kiosk] keys the site file sets through its own keys, not directly
KIOSK_RESERVED = frozenset({"printer", "staff_pin_sha256", "trust_dir", "voice_prompts"})


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """A validated site file."""

    path: Path
    name: str
    intake_url: str
    ca_pem: str
    tokens: dict[str, str] = field(default_factory=dict)
    printer: dict[str, Any] = field(default_factory=dict)
    trust_anchors: dict[str, bytes] = field(default_factory=dict)  # file name → PEM
    staff_pin_sha256: str | None = None  # None: generate a PIN per stand
    proxy: str | None = None
    ntp: tuple[str, ...] = ()
    update_url: str | None = None
    network: dict[str, Any] = field(default_factory=dict)  # gateway, dns
    addresses: dict[str, str] = field(default_factory=dict)  # kiosk id → address/prefix
    kiosk: dict[str, Any] = field(default_factory=dict)  # other [kiosk] settings

    def token_for(self, kiosk_id: str) -> str:
        """The enrolment token for ``kiosk_id``; a SiteConfigError if there is none."""
        try:
            return self.tokens[kiosk_id]
        except KeyError:
            raise SiteConfigError(
                str(self.path), f"no enrolment token for kiosk id {kiosk_id!r}"
            ) from None


@dataclass(frozen=True, slots=True)
class StandFiles:
    """What one stand gets: boot-partition files, checked settings, a generated PIN if any."""

    files: dict[str, bytes]
    settings: EffectiveSettings
    generated_pin: str | None  # only for the batch record; never on the card or in logs


def pin_sha256(pin: str) -> str:
    """The hash the UI compares a typed staff PIN with (kiosk.config.KioskConfig.staff_pin_ok)."""
    return hashlib.sha256(pin.encode("utf-8")).hexdigest()


def generate_pin() -> str:
    """A random per-stand staff PIN."""
    return f"{secrets.randbelow(10**GENERATED_PIN_DIGITS):0{GENERATED_PIN_DIGITS}d}"


def _toml_value(value: object) -> str:
    """A TOML value for strings, numbers, booleans and lists of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        if any(ord(c) < 0x20 for c in escaped):
            raise ValueError("control characters are not allowed")
        return f'"{escaped}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise ValueError(f"unsupported value {value!r}")


def validate_kiosk_id(kiosk_id: str) -> str:
    """Return ``kiosk_id`` if it is a valid id, else raise SiteConfigError."""
    if not KIOSK_ID_RE.match(kiosk_id):
        raise SiteConfigError(
            "--kiosk-id", f"invalid kiosk id {kiosk_id!r} (letters, digits, . _ -)"
        )
    return kiosk_id


def _check_keys(
    where: str, table: object, name: str, keys: frozenset[str] | None = None
) -> dict[str, Any]:
    """``table`` as a dict; with ``keys``, an unknown key is an error."""
    if not isinstance(table, dict):
        raise SiteConfigError(where, f"[{name}] must be a table")
    extra = sorted(set(table) - keys) if keys is not None else []
    if extra:
        raise SiteConfigError(where, f"[{name}] {extra[0]}: unknown setting")
    return table


def _read_pem(where: str, base: Path, name: object, what: str, certs_only: bool) -> bytes:
    if not isinstance(name, str):
        raise SiteConfigError(where, f"{what} must be a file name")
    path = (base / name).resolve()
    try:
        blob = path.read_bytes()
    except OSError as err:
        raise SiteConfigError(where, f"cannot read {what} {path}: {err.strerror}") from None
    try:
        parse_anchors(path.name, blob, certificates_only=certs_only)
    except ValueError as err:
        raise SiteConfigError(
            where, f"{what} {path} is not a parseable certificate: {err}"
        ) from None
    return blob


def load_site(path: Path) -> SiteConfig:
    """Read and validate SITE.toml (and the CA and trust-anchor files it names)."""
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SiteConfigError(where, "file not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise SiteConfigError(where, f"cannot read: {err}") from err
    extra = sorted(set(raw) - TOP_TABLES)
    if extra:
        raise SiteConfigError(where, f"[{extra[0]}]: unknown table")
    if "site" not in raw:
        raise SiteConfigError(where, "missing [site] table")
    site = _check_keys(where, raw["site"], "site", SITE_KEYS)
    url = site.get("intake_url")
    if not isinstance(url, str):
        raise SiteConfigError(where, "[site] intake_url is required")
    if "ca_file" not in site:
        raise SiteConfigError(where, "[site] ca_file is required (the intake's CA certificate)")
    ca_pem = _read_pem(where, path.parent, site["ca_file"], "ca_file", True).decode("ascii")
    anchors_raw = site.get("trust_anchors", [])
    if not isinstance(anchors_raw, list):
        raise SiteConfigError(where, "[site] trust_anchors must be a list of PEM files")
    anchors = {Path(str(n)).name: _read_pem(where, path.parent, n, "trust anchor", False)
               for n in anchors_raw}  # fmt: skip
    tokens_raw = _check_keys(where, raw.get("tokens", {}), "tokens")
    tokens: dict[str, str] = {}
    for kid, tok in tokens_raw.items():
        if not KIOSK_ID_RE.match(kid) or not isinstance(tok, str) or not TOKEN_RE.match(tok):
            raise SiteConfigError(where, f"[tokens] entry {kid!r} is not a valid id/token pair")
        tokens[kid] = tok
    pin_hash = _staff_pin_hash(where, site)
    network = _check_keys(where, raw.get("network", {}), "network", NETWORK_SITE_KEYS)
    addresses = _check_keys(where, network.get("addresses", {}), "network.addresses")
    for kid, addr in addresses.items():
        if not KIOSK_ID_RE.match(kid) or not isinstance(addr, str):
            raise SiteConfigError(where, f'[network.addresses] {kid!r} must be id = "addr/prefix"')
    kiosk = raw.get("kiosk", {})
    if not isinstance(kiosk, dict):
        raise SiteConfigError(where, "[kiosk] must be a table")
    reserved = sorted(KIOSK_RESERVED & set(kiosk))
    if reserved:
        raise SiteConfigError(where, f"[kiosk] {reserved[0]}: set it in [site]/[printer] instead")
    ntp = site.get("ntp", [])
    config = SiteConfig(
        path=path, name=str(site.get("name", "")), intake_url=url, ca_pem=ca_pem, tokens=tokens,
        printer=_check_keys(where, raw.get("printer", {}), "printer"),
        trust_anchors=anchors, staff_pin_sha256=pin_hash,
        proxy=site.get("proxy"), ntp=tuple(ntp) if isinstance(ntp, list) else (str(ntp),),
        update_url=site.get("update_url"),
        network={k: v for k, v in network.items() if k != "addresses"}, addresses=addresses,
        kiosk=kiosk,
    )  # fmt: skip
    stand_files(config, "site-check", pin="000000" if pin_hash is None else None)
    return config


def _staff_pin_hash(where: str, site: dict[str, Any]) -> str | None:
    if "staff_pin" in site and "staff_pin_sha256" in site:
        raise SiteConfigError(where, "[site] set staff_pin or staff_pin_sha256, not both")
    if "staff_pin" in site:
        pin = site["staff_pin"]
        if not isinstance(pin, str) or not STAFF_PIN_RE.match(pin):
            raise SiteConfigError(where, "[site] staff_pin must be a string of 4–12 digits")
        digest = pin_sha256(pin)
    elif "staff_pin_sha256" in site:
        digest = str(site["staff_pin_sha256"]).lower()
        if not SHA256_HEX_RE.match(digest):
            raise SiteConfigError(where, "[site] staff_pin_sha256 must be 64 hex digits")
    else:
        return None
    if digest == DEMO_STAFF_PIN_SHA256:
        raise SiteConfigError(where, "[site] the staff PIN is the demo PIN 0000; choose another")
    return digest


def render_kiosk_toml(site: SiteConfig, kiosk_id: str, staff_pin_sha256: str) -> str:
    """The device's kiosk.toml: what the UI, server_sync and diagnose read (no secrets in it)."""
    sync: dict[str, object] = {"kiosk_id": kiosk_id, "intake_url": site.intake_url,
                               "ca_file": DEVICE_CONFIG_DIR + "/" + FILE_CA}  # fmt: skip
    if site.proxy is not None:
        sync["proxy"] = site.proxy
    kiosk: dict[str, object] = {"voice": False, "voice_prompts": DEVICE_VOICE_DIR, **site.kiosk,
                                "staff_pin_sha256": staff_pin_sha256}  # fmt: skip
    if site.trust_anchors:
        kiosk["trust_dir"] = DEVICE_TRUST_DIR
    network: dict[str, object] = {"hostname": kiosk_id.replace(".", "-").replace("_", "-"),
                                  **site.network}  # fmt: skip
    if kiosk_id in site.addresses:
        network["address"] = site.addresses[kiosk_id]
    if site.ntp:
        network["ntp"] = list(site.ntp)
    tables: list[tuple[str, dict[str, object]]] = [("sync", sync), ("kiosk", kiosk)]
    if site.printer:
        tables.append(("kiosk.printer", site.printer))
    tables.append(("network", network))
    if site.update_url is not None:
        tables.append(("update", {"url": site.update_url}))
    lines = [
        "# Written by `python -m kiosk.tech flash`; firstboot copies it to /var/lib/kiosk/config.",
        f"# Site: {site.name}".rstrip(),
    ]
    for name, table in tables:
        lines.append(f"\n[{name}]")
        for key, value in table.items():
            try:
                lines.append(f"{key} = {_toml_value(value)}")
            except ValueError as err:
                raise SiteConfigError(str(site.path), f"[{name}] {key}: {err}") from None
    return "\n".join(lines) + "\n"


def stand_files(site: SiteConfig, kiosk_id: str, *, pin: str | None = None,
                token: str | None = None) -> StandFiles:  # fmt: skip
    """The boot files for one stand, validated with the settings schema before anything is written.

    ``pin``: a staff PIN to use when the site sets none (default: a random one per stand).
    """
    generated = None
    digest = site.staff_pin_sha256
    if digest is None:
        generated = pin if pin is not None else generate_pin()
        digest = pin_sha256(generated)
    text = render_kiosk_toml(site, kiosk_id, digest)
    files: dict[str, bytes] = {FILE_CONFIG: text.encode(), FILE_CA: site.ca_pem.encode("ascii")}
    device: dict[str, bytes] = {DEVICE_CONFIG_DIR + "/" + FILE_CA: files[FILE_CA]}
    for name, blob in site.trust_anchors.items():
        files[TRUST_PREFIX + name] = blob
        device[f"{DEVICE_TRUST_DIR}/{name}"] = blob
    if token is not None:
        files[FILE_TOKEN] = (token + "\n").encode("ascii")
    try:
        settings = validate_config(tomllib.loads(text), str(site.path), files=device)
    except ConfigInvalidError as err:
        raise SiteConfigError(str(site.path), f"{err.key}: {err.problem}") from None
    return StandFiles(files=files, settings=settings, generated_pin=generated)
