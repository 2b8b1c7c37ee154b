"""Console settings: session lifetimes, login throttling, the 4-eyes rule and input limits."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

ENV_PREFIX = "KIOSK_CONSOLE_"


@dataclass(frozen=True, slots=True)
class ConsoleSettings:
    """Tunables of the clerk console (all integers, seconds/characters/bytes/rows)."""

    session_idle_s: int = 30 * 60
    session_max_s: int = 10 * 60 * 60
    login_max_failures: int = 5
    login_failure_window_s: int = 15 * 60
    login_lock_base_s: int = 60
    login_account_max_failures: int = 20
    login_hash_slots: int = 1
    login_hash_queue: int = 4
    #: a throttled login is answered after this pause (slows a sequential attacker down)
    login_tarpit_ms: int = 1000
    #: how many different staff members must accept a filing (2 = the ward's 4-eyes rule)
    accept_approvals: int = 1
    scan_max_part_chars: int = 8000
    scan_max_parts: int = 16
    reject_reason_max_chars: int = 500
    search_max_rows: int = 200
    form_max_bytes: int = 64 * 1024

    @classmethod
    def from_mapping(cls, values: Mapping[str, str], *, prefix: str = "") -> ConsoleSettings:
        """Defaults overridden by positive integers keyed ``PREFIX_NAME`` or ``name``."""
        settings = cls()
        for field in fields(cls):
            key = prefix + field.name.upper()
            raw = next((values[k] for k in (key, key.lower(), field.name) if k in values), None)
            if raw is None:
                continue
            try:
                value = int(raw)
            except ValueError:
                value = 0
            if value <= 0:
                raise ValueError(f"{key} must be a positive integer, not {raw!r}")
            settings = replace(settings, **{field.name: value})
        return settings

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ConsoleSettings:
        """Defaults overridden by ``KIOSK_CONSOLE_<NAME>`` environment variables."""
        return cls.from_mapping(os.environ if environ is None else environ, prefix=ENV_PREFIX)
