"""Settings of the sync client: a TOML file (env KIOSK_CONFIG) + enrolment record + env overrides.

Precedence, highest first: environment (KIOSK_STATE_DIR, KIOSK_ID, KIOSK_INTAKE_URL, KIOSK_CA_FILE),
the ``[sync]`` table of the TOML file, the enrolment record written by ``server_sync enrol`` in the
state directory, built-in defaults.

Several intake nodes: ``[sync] intake_urls = ["https://a…", "https://b…"]`` lists every node the
kiosk may deliver to, in order of preference (the client fails over between them); ``intake_url``
alone still works and means a list of one. ``KIOSK_INTAKE_URL`` overrides both with one URL.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from kiosk.forms.paths import MASTER_FILE_NAME
from server_sync.backoff import RetryPolicy
from server_sync.errors import ConfigError

DEFAULT_CONFIG_PATH = Path("/etc/kiosk/kiosk.toml")
DEFAULT_STATE_DIR = Path("/var/lib/kiosk")
ENROLMENT_FILE = "enrolment.json"

ENV_CONFIG = "KIOSK_CONFIG"
ENV_STATE_DIR = "KIOSK_STATE_DIR"
ENV_KIOSK_ID = "KIOSK_ID"
ENV_INTAKE_URL = "KIOSK_INTAKE_URL"
ENV_CA_FILE = "KIOSK_CA_FILE"


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """Everything the sender, the master pull and the status command need."""

    state_dir: Path = DEFAULT_STATE_DIR
    kiosk_id: str | None = None
    intake_url: str | None = None
    #: every intake node, in order of preference (the first is ``intake_url``; empty: just that)
    intake_urls: tuple[str, ...] = ()
    ca_file: Path | None = None
    #: HTTP(S) proxy for every request to the intake ([sync] proxy; the environment is ignored)
    proxy: str | None = None
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 15.0
    poll_interval_s: float = 1.0
    heartbeat_interval_s: float = 60.0
    master_interval_s: float = 900.0
    prune_done_after_s: float = 7 * 24 * 3600.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    @property
    def outbox_path(self) -> Path:
        """The outbox database."""
        return self.state_dir / "outbox.db"

    @property
    def device_key_path(self) -> Path:
        """The kiosk's Ed25519 private key (PEM, 0600)."""
        return self.state_dir / "keys" / "device_ed25519.pem"

    @property
    def outbox_key_path(self) -> Path:
        """The outbox's AES-256 key (32 raw bytes, 0600)."""
        return self.state_dir / "keys" / "outbox.key"

    @property
    def master_dir(self) -> Path:
        """Where master-data versions and the ``current`` symlink live."""
        return self.state_dir / "master"

    @property
    def app_master_path(self) -> Path:
        """Where the kiosk app opens the address master (a link into ``master/current``)."""
        return self.state_dir / MASTER_FILE_NAME

    @property
    def enrolment_path(self) -> Path:
        """The record written by ``server_sync enrol``."""
        return self.state_dir / ENROLMENT_FILE

    @property
    def sender_lock_path(self) -> Path:
        """Held by the one running sender (send-once / run)."""
        return self.state_dir / "sender.lock"

    def require_intake(self) -> tuple[str, str]:
        """kiosk_id and intake_url, or a ConfigError saying the kiosk is not enrolled."""
        if not self.kiosk_id or not self.intake_url:
            raise ConfigError("kiosk is not enrolled: no kiosk_id / intake_url configured")
        return self.kiosk_id, self.intake_url

    @property
    def intake_nodes(self) -> tuple[str, ...]:
        """The intake URLs to try in order (``intake_urls``, else ``intake_url``, else none)."""
        if self.intake_urls:
            return self.intake_urls
        return (self.intake_url,) if self.intake_url else ()


_FLOATS = {
    "connect_timeout_s",
    "read_timeout_s",
    "poll_interval_s",
    "heartbeat_interval_s",
    "master_interval_s",
    "prune_done_after_s",
}
_RETRY_KEYS = {f.name for f in fields(RetryPolicy)}


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # when the settings are read, not when the module is (start-up time)

    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"cannot read {path}: {err}") from err
    sync = data.get("sync", {})
    if not isinstance(sync, dict):
        raise ConfigError(f"{path}: [sync] must be a table")
    return sync


def _read_enrolment(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        raise ConfigError(f"cannot read {path}: {err}") from err
    return data if isinstance(data, dict) else {}


def _number(raw: dict[str, Any], name: str) -> float:
    value = raw[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigError(f"{name} must be a positive number")
    return float(value)


def _url_list(value: object) -> tuple[str, ...]:
    """``intake_urls``: a non-empty list of distinct non-empty strings (ConfigError otherwise)."""
    if not isinstance(value, list) or not value:
        raise ConfigError("intake_urls must be a non-empty list of URLs")
    urls: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ConfigError("intake_urls must hold only non-empty strings")
        url = item.strip()
        if url not in urls:
            urls.append(url)
    return tuple(urls)


def load_settings(environ: dict[str, str] | None = None) -> SyncSettings:
    """Build the settings from the config file, the enrolment record and the environment."""
    env = dict(os.environ) if environ is None else environ
    toml = _read_toml(Path(env.get(ENV_CONFIG, str(DEFAULT_CONFIG_PATH))))
    state_dir = Path(env.get(ENV_STATE_DIR) or toml.get("state_dir") or DEFAULT_STATE_DIR)
    enrolment = _read_enrolment(state_dir / ENROLMENT_FILE)
    merged: dict[str, Any] = {**enrolment, **toml}
    for key, var in (("kiosk_id", ENV_KIOSK_ID), ("intake_url", ENV_INTAKE_URL)):
        if env.get(var):
            merged[key] = env[var]
    if env.get(ENV_CA_FILE):
        merged["ca_file"] = env[ENV_CA_FILE]
    kwargs: dict[str, Any] = {"state_dir": state_dir}
    for key in ("kiosk_id", "intake_url", "proxy"):
        if merged.get(key) is not None:
            if not isinstance(merged[key], str):
                raise ConfigError(f"{key} must be a string")
            kwargs[key] = merged[key]
    if merged.get("intake_urls") is not None and not env.get(ENV_INTAKE_URL):
        kwargs["intake_urls"] = _url_list(merged["intake_urls"])
        kwargs["intake_url"] = kwargs["intake_urls"][0]
    if merged.get("ca_file"):
        kwargs["ca_file"] = Path(str(merged["ca_file"]))
    for key in _FLOATS & set(merged):
        kwargs[key] = _number(merged, key)
    retry_raw = merged.get("retry", {})
    if not isinstance(retry_raw, dict) or set(retry_raw) - _RETRY_KEYS:
        raise ConfigError(f"[sync.retry] accepts only {sorted(_RETRY_KEYS)}")
    retry_kwargs: dict[str, Any] = {k: _number(retry_raw, k) for k in retry_raw}
    if "max_attempts" in retry_kwargs:
        retry_kwargs["max_attempts"] = int(retry_kwargs["max_attempts"])
    kwargs["retry"] = RetryPolicy(**retry_kwargs)
    return SyncSettings(**kwargs)
