"""Validation of downloaded master-data files before they may replace the current set."""

from __future__ import annotations

import importlib
import json
import sqlite3
from pathlib import Path

from cryptography import x509

from server_sync.errors import MasterDataError

ADDRESS_MASTER = "address_master.sqlite"
RELATIONSHIP_CODES = "relationship_codes.json"
WARD_SETTINGS = "ward_settings.json"
TRUST_PREFIX = "trust/"
FORMS_MASTER_MODULE = "kiosk.forms.master"
FORMS_MASTER_VALIDATOR = "validate_master_file"
FORMS_SCHEMA_MODULE = "kiosk.forms.master.schema"
REQUIRED_FILES = frozenset({ADDRESS_MASTER, RELATIONSHIP_CODES, WARD_SETTINGS})


def validate_address_master(path: Path) -> None:
    """The SQLite file opens read-only, passes integrity_check and holds tables."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as err:
        raise MasterDataError(f"{ADDRESS_MASTER}: cannot open ({err})") from err
    try:
        (result,) = conn.execute("PRAGMA integrity_check").fetchone()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.Error as err:
        raise MasterDataError(f"{ADDRESS_MASTER}: not a valid SQLite database ({err})") from err
    finally:
        conn.close()
    if result != "ok":
        raise MasterDataError(f"{ADDRESS_MASTER}: integrity_check failed")
    if not tables:
        raise MasterDataError(f"{ADDRESS_MASTER}: holds no tables")
    _domain_check(path, tables)


def _forms_attr(module_name: str, name: str) -> object:
    """An attribute of a kiosk.forms module, or None while that module does not offer it."""
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, name, None)


def _domain_check(path: Path, tables: set[str]) -> None:
    """Check against kiosk.forms' master schema (and its validator when it offers one)."""
    expected = _forms_attr(FORMS_SCHEMA_MODULE, "CONTENT_TABLES")
    if isinstance(expected, tuple):
        missing = sorted(set(map(str, expected)) - tables)
        if missing:
            raise MasterDataError(f"{ADDRESS_MASTER}: lacks tables {missing}")
    checker = _forms_attr(FORMS_MASTER_MODULE, FORMS_MASTER_VALIDATOR)
    if not callable(checker):
        return
    try:
        checker(path)
    except (ValueError, LookupError, sqlite3.Error) as err:
        raise MasterDataError(f"{ADDRESS_MASTER}: rejected by the forms validator ({err})") from err


def _load_json(path: Path, name: str) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise MasterDataError(f"{name}: not UTF-8 JSON") from err


def validate_relationship_codes(path: Path) -> None:
    """``{"name": str, "codes": {word: code}}`` covering every word the picker offers."""
    data = _load_json(path, RELATIONSHIP_CODES)
    if not isinstance(data, dict) or not isinstance(data.get("codes"), dict):
        raise MasterDataError(f"{RELATIONSHIP_CODES}: must be an object with a 'codes' object")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in data["codes"].items()):
        raise MasterDataError(f"{RELATIONSHIP_CODES}: codes must map strings to strings")
    try:
        from kiosk.forms.relationship import RelationshipCodes
    except ImportError:
        return
    try:
        RelationshipCodes.load(path)
    except (ValueError, KeyError) as err:
        raise MasterDataError(f"{RELATIONSHIP_CODES}: {err}") from err


def validate_ward_settings(path: Path) -> None:
    """A JSON object."""
    if not isinstance(_load_json(path, WARD_SETTINGS), dict):
        raise MasterDataError(f"{WARD_SETTINGS}: must be a JSON object")


def validate_trust_anchor(path: Path, name: str) -> None:
    """One or more PEM certificates."""
    try:
        certs = x509.load_pem_x509_certificates(path.read_bytes())
    except ValueError as err:
        raise MasterDataError(f"{name}: not a PEM certificate") from err
    if not certs:
        raise MasterDataError(f"{name}: holds no certificate")


def validate_file(path: Path, name: str) -> None:
    """Dispatch on the file's name."""
    if name == ADDRESS_MASTER:
        validate_address_master(path)
    elif name == RELATIONSHIP_CODES:
        validate_relationship_codes(path)
    elif name == WARD_SETTINGS:
        validate_ward_settings(path)
    elif name.startswith(TRUST_PREFIX) and name.endswith(".pem"):
        validate_trust_anchor(path, name)
    else:
        raise MasterDataError(f"unexpected master file {name!r}")
