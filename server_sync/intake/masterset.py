"""Reading a master-data set from a folder and checking it before publication."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from cryptography import x509

from kiosk.forms.errors import FormsError
from kiosk.forms.master import validate_master_file
from server_sync.intake.errors import MasterSetError
from server_sync.intake.settings import MASTER_FILE_MAX_BYTES

ADDRESS_MASTER = "address_master.sqlite"
RELATIONSHIP_CODES = "relationship_codes.json"
WARD_SETTINGS = "ward_settings.json"
TRUST_PREFIX = "trust/"
REQUIRED_FILES = (ADDRESS_MASTER, RELATIONSHIP_CODES, WARD_SETTINGS)
SQLITE_MAGIC = b"SQLite format 3\x00"
TRUST_NAME_RE = re.compile(r"^trust/[A-Za-z0-9][A-Za-z0-9._-]{0,63}\.pem$")


def _check_json_object(name: str, data: bytes) -> None:
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise MasterSetError(f"{name} is not UTF-8 JSON") from err
    if not isinstance(obj, dict):
        raise MasterSetError(f"{name} must hold a JSON object")


def check_master_file(name: str, data: bytes) -> None:
    """Validate one file by its role (sqlite header, JSON object, PEM certificates)."""
    if len(data) > MASTER_FILE_MAX_BYTES:
        raise MasterSetError(f"{name} is larger than {MASTER_FILE_MAX_BYTES} bytes")
    if name == ADDRESS_MASTER:
        if not data.startswith(SQLITE_MAGIC):
            raise MasterSetError(f"{name} is not an SQLite database")
    elif name in (RELATIONSHIP_CODES, WARD_SETTINGS):
        _check_json_object(name, data)
    elif TRUST_NAME_RE.match(name):
        try:
            certs = x509.load_pem_x509_certificates(data)
        except ValueError as err:
            raise MasterSetError(f"{name} holds no readable PEM certificate") from err
        if not certs:
            raise MasterSetError(f"{name} holds no certificate")
    else:
        raise MasterSetError(f"unexpected file {name} in the master set")


def _check_address_master(path: Path) -> None:
    """The same full check the kiosks run, so a bad master is never published."""
    try:
        validate_master_file(path)
    except (FormsError, sqlite3.Error) as err:
        raise MasterSetError(f"{ADDRESS_MASTER} is not a valid kiosk master: {err}") from err


def read_master_folder(folder: Path) -> dict[str, bytes]:
    """The files of a set: the three required files plus ``trust/*.pem``; all validated."""
    if not folder.is_dir():
        raise MasterSetError(f"{folder} is not a folder")
    files: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            continue
        name = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        check_master_file(name, data)
        if name == ADDRESS_MASTER:
            _check_address_master(path)
        files[name] = data
    missing = [name for name in REQUIRED_FILES if name not in files]
    if missing:
        raise MasterSetError(f"master set lacks {', '.join(missing)}")
    return files
