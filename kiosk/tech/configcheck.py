"""``config-check FILE``: the effective settings of a stand's kiosk.toml or a site file, as JSON."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from kiosk.tech.settings import ConfigInvalidError, load_effective
from kiosk.tech.site import load_site, stand_files

#: the kiosk id a site file is checked for when it names no tokens
SAMPLE_KIOSK_ID = "kiosk-check"


def check_file(path: Path) -> dict[str, Any]:
    """A site file (it has ``[site]``) is rendered for its first kiosk id and checked; a kiosk.toml
    is checked as it is. Raises ConfigInvalidError / SiteConfigError with one clear line."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigInvalidError(str(path), "file", "not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigInvalidError(str(path), "file", f"cannot read: {err}") from None
    if "site" not in raw:
        return load_effective(path).as_json()
    site = load_site(path)
    kiosk_id = sorted(site.tokens)[0] if site.tokens else SAMPLE_KIOSK_ID
    stand = stand_files(site, kiosk_id, pin="000000" if site.staff_pin_sha256 is None else None)
    out = stand.settings.as_json()
    out["site"] = {"name": site.name, "kiosk_ids": sorted(site.tokens),
                   "staff_pin": "per stand (generated)" if site.staff_pin_sha256 is None
                   else "set"}  # fmt: skip
    if site.staff_pin_sha256 is None:
        out["staff_pin"] = "set"  # each stand gets its own random PIN
    return out
