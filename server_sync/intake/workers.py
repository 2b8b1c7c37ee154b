"""Several uvicorn worker processes: settings travel to each worker through the environment.

``uvicorn.run(..., workers=N)`` starts N processes that each import an app *factory* by name;
they cannot receive a Python object. The serving command therefore writes the settings it
parsed into :data:`SETTINGS_ENV` (JSON) and every worker calls :func:`factory`. Each worker
has its own group committer; SQLite WAL serialises their transactions (busy timeout), so
batches form per process.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path

from fastapi import FastAPI

from server_sync.intake.settings import IntakeSettings

SETTINGS_ENV = "KIOSK_INTAKE_SETTINGS"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
FACTORY = "server_sync.intake.workers:factory"


def settings_to_env(settings: IntakeSettings) -> str:
    """The command-line-controlled settings as the JSON text :func:`factory` reads back."""
    return json.dumps(
        {
            "db_url": settings.db_url,
            "data_dir": str(settings.data_dir),
            "trust_dir": None if settings.trust_dir is None else str(settings.trust_dir),
            "reject_untrusted_chain": settings.reject_untrusted_chain,
        },
        sort_keys=True,
    )


def settings_from_env(environ: Mapping[str, str] | None = None) -> IntakeSettings:
    """Settings written by :func:`settings_to_env` (ValueError if missing or malformed)."""
    raw = (os.environ if environ is None else environ).get(SETTINGS_ENV)
    if raw is None:
        raise ValueError(f"{SETTINGS_ENV} is not set (start workers through the serve command)")
    obj = json.loads(raw)
    if not isinstance(obj, dict):
        raise ValueError(f"{SETTINGS_ENV} must hold a JSON object")
    db_url, data_dir, trust_dir = obj.get("db_url"), obj.get("data_dir"), obj.get("trust_dir")
    reject = obj.get("reject_untrusted_chain")
    if not isinstance(db_url, str) or not isinstance(data_dir, str):
        raise ValueError(f"{SETTINGS_ENV} needs db_url and data_dir strings")
    if trust_dir is not None and not isinstance(trust_dir, str):
        raise ValueError(f"{SETTINGS_ENV}: trust_dir must be a string or null")
    if not isinstance(reject, bool):
        raise ValueError(f"{SETTINGS_ENV}: reject_untrusted_chain must be a boolean")
    return IntakeSettings(
        db_url=db_url,
        data_dir=Path(data_dir),
        trust_dir=None if trust_dir is None else Path(trust_dir),
        reject_untrusted_chain=reject,
    )


def factory() -> FastAPI:
    """The app of one worker process, built from :data:`SETTINGS_ENV`."""
    from server_sync.intake.app import create_app

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)  # a fresh process: as the CLI
    return create_app(settings_from_env())
