"""Validation of downloaded master-data files before they may replace the current set."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from kiosk.forms.errors import FormsError
from kiosk.forms.master import validate_master_file
from server_sync.errors import MasterDataError

ADDRESS_MASTER = "address_master.sqlite"
RELATIONSHIP_CODES = "relationship_codes.json"
WARD_SETTINGS = "ward_settings.json"
TRUST_PREFIX = "trust/"
REQUIRED_FILES = frozenset({ADDRESS_MASTER, RELATIONSHIP_CODES, WARD_SETTINGS})


def validate_address_master(path: Path) -> None:
    """kiosk.forms' full check: read-only, integrity_check, schema, non-empty, checksum, ward."""
    try:
        validate_master_file(path)
    except (FormsError, sqlite3.Error) as err:
        raise MasterDataError(f"{ADDRESS_MASTER}: {err}") from err


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
        from cryptography import x509  # only when a trust file is validated

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
