"""The site file a technician brings (SITE.toml) and the per-device files made from it.

Example::

    [site]
    name = "Example City Hall, main building"
    intake_url = "https://intake.example.lg.jp:8443"
    ca_file = "intake-ca.pem"          # relative to the site file

    [tokens]                           # one-time enrolment tokens, one per kiosk id
    "kiosk-001" = "tok_..."

    [printer]                          # optional, copied into kiosk.toml
    kind = "usb"
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.tech.errors import SiteConfigError

#: kiosk ids: what the intake accepts as a kiosk id (letters, digits, - _ .)
KIOSK_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
TOKEN_RE = re.compile(r"^[A-Za-z0-9._~+/=-]{8,512}$")
PEM_CERT_BEGIN = "-----BEGIN CERTIFICATE-----"

#: names of the per-device files in the boot partition's kiosk/ directory
BOOT_CONFIG_DIR = "kiosk"
FILE_CONFIG = "kiosk.toml"
FILE_CA = "ca.pem"
FILE_TOKEN = "enrol-token"  # noqa: S105 - a file name, not a secret
#: where firstboot installs the CA on the device (kiosk.toml points there)
DEVICE_CONFIG_DIR = "/var/lib/kiosk/config"
#: the spoken prompts the image carries (image-build/hooks/customize.sh); voice stays off
DEVICE_VOICE_DIR = "/usr/share/kiosk/voice"


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """A validated site file."""

    path: Path
    name: str
    intake_url: str
    ca_pem: str
    tokens: dict[str, str] = field(default_factory=dict)
    printer: dict[str, Any] = field(default_factory=dict)

    def token_for(self, kiosk_id: str) -> str:
        """The enrolment token for ``kiosk_id``; a SiteConfigError if there is none."""
        try:
            return self.tokens[kiosk_id]
        except KeyError:
            raise SiteConfigError(
                str(self.path), f"no enrolment token for kiosk id {kiosk_id!r}"
            ) from None


def _toml_str(value: str) -> str:
    """A TOML basic string (JSON escaping is a subset TOML accepts for these characters)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    if any(ord(c) < 0x20 for c in escaped):
        raise ValueError("control characters are not allowed")
    return f'"{escaped}"'


def validate_kiosk_id(kiosk_id: str) -> str:
    """Return ``kiosk_id`` if it is a valid id, else raise SiteConfigError."""
    if not KIOSK_ID_RE.match(kiosk_id):
        raise SiteConfigError(
            "--kiosk-id", f"invalid kiosk id {kiosk_id!r} (letters, digits, . _ -)"
        )
    return kiosk_id


def load_site(path: Path) -> SiteConfig:
    """Read and validate SITE.toml (and the CA file it names)."""
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SiteConfigError(where, "file not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise SiteConfigError(where, f"cannot read: {err}") from err
    site = raw.get("site")
    if not isinstance(site, dict):
        raise SiteConfigError(where, "missing [site] table")
    url = site.get("intake_url")
    if not isinstance(url, str):
        raise SiteConfigError(where, "[site] intake_url is required")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise SiteConfigError(where, f"intake_url {url!r} is not an http(s) URL")
    ca_name = site.get("ca_file")
    if not isinstance(ca_name, str):
        raise SiteConfigError(where, "[site] ca_file is required (the intake's CA certificate)")
    ca_path = (path.parent / ca_name).resolve()
    try:
        ca_pem = ca_path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as err:
        raise SiteConfigError(where, f"cannot read ca_file {ca_path}: {err}") from err
    if PEM_CERT_BEGIN not in ca_pem:
        raise SiteConfigError(where, f"ca_file {ca_path} is not a PEM certificate")
    tokens_raw = raw.get("tokens", {})
    if not isinstance(tokens_raw, dict):
        raise SiteConfigError(where, "[tokens] must be a table of kiosk id = token")
    tokens: dict[str, str] = {}
    for kid, tok in tokens_raw.items():
        if not KIOSK_ID_RE.match(kid) or not isinstance(tok, str) or not TOKEN_RE.match(tok):
            raise SiteConfigError(where, f"[tokens] entry {kid!r} is not a valid id/token pair")
        tokens[kid] = tok
    printer = raw.get("printer", {})
    if not isinstance(printer, dict):
        raise SiteConfigError(where, "[printer] must be a table")
    name = site.get("name", "")
    return SiteConfig(
        path=path, name=str(name), intake_url=url, ca_pem=ca_pem, tokens=tokens, printer=printer
    )


def render_kiosk_toml(site: SiteConfig, kiosk_id: str) -> str:
    """The device's kiosk.toml: what server_sync and the app read (no secrets in it)."""
    lines = [
        "# Written by `python -m kiosk.tech flash`; firstboot copies it to /var/lib/kiosk/config.",
        f"# Site: {site.name}".rstrip(),
        "[sync]",
        f"kiosk_id = {_toml_str(kiosk_id)}",
        f"intake_url = {_toml_str(site.intake_url)}",
        f"ca_file = {_toml_str(DEVICE_CONFIG_DIR + '/' + FILE_CA)}",
        "",
        "[kiosk]",
        "voice = false  # spoken prompts: a technician sets true (aplay on the stand's sound)",
        f"voice_prompts = {_toml_str(DEVICE_VOICE_DIR)}",
    ]
    if site.printer:
        lines.append("")
        lines.append("[printer]")
        for key, value in sorted(site.printer.items()):
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise SiteConfigError(str(site.path), f"[printer] {key} must be a string or number")
            rendered = _toml_str(value) if isinstance(value, str) else repr(value)
            lines.append(f"{key} = {rendered}")
    return "\n".join(lines) + "\n"
