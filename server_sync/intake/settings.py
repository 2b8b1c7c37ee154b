"""Settings of the intake service (one frozen dataclass, built by the command line or tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

MAX_BODY_BYTES = 256 * 1024
REQUEST_WINDOW = timedelta(minutes=5)
CREATED_AT_MAX_AGE = timedelta(days=30)
CREATED_AT_MAX_FUTURE = timedelta(minutes=5)
TOKEN_TTL = timedelta(days=7)
MASTER_FILE_MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class IntakeSettings:
    """Everything the app needs; no globals, no environment lookups inside the app."""

    #: SQLAlchemy-style URL: sqlite:///PATH or postgresql://user@host:port/db
    db_url: str
    #: where the dev CA, server key and default JPKI trust dir live
    data_dir: Path
    #: directory of PEM files: the JPKI roots resident certificates must chain to
    trust_dir: Path | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    request_window: timedelta = REQUEST_WINDOW
    created_at_max_age: timedelta = CREATED_AT_MAX_AGE
    created_at_max_future: timedelta = CREATED_AT_MAX_FUTURE
    token_ttl: timedelta = TOKEN_TTL
    #: reject (422) filings whose resident certificate does not chain to the roots; else flag them
    reject_untrusted_chain: bool = False
    #: extra routers' options (the console reads its own keys from here)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def jpki_trust_dir(self) -> Path:
        """The configured trust dir, or ``<data_dir>/jpki-roots``."""
        return self.trust_dir if self.trust_dir is not None else self.data_dir / "jpki-roots"
