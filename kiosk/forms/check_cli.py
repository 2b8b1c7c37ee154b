"""``python -m kiosk.forms check --filing F [--today YYYY-MM-DD]``: the rules as one JSON object.

Prints ``{"findings": [{"severity", "code", "field"}], "special_move_in": {"status", "last_day"},
"card_tasks": [[…] per member]}``; exit 0 without errors, 1 with errors, 2 when F is not a filing
(then ``{"error": {"code", "message"}}``, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError
from kiosk.forms.codec import filing_from_json
from kiosk.forms.decisions import card_tasks, special_move_in
from kiosk.forms.findings import Finding, has_errors
from kiosk.forms.model import Filing
from kiosk.forms.settings import DEFAULT_SETTINGS, WardSettings, WardSettingsError
from kiosk.forms.validation import validate

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_NOT_A_FILING = 2
MAX_FILING_BYTES = 1024 * 1024


class CheckInputError(KioskError):
    """The file named on the command line is missing, unreadable or too large."""

    code = "bad_input"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILING_BYTES + 1)
    except FileNotFoundError:
        raise CheckInputError("file_not_found", f"{path}: no such file") from None
    except OSError as err:
        raise CheckInputError("file_unreadable", f"{path}: {err.strerror}") from None
    if len(data) > MAX_FILING_BYTES:
        raise CheckInputError("file_too_large", f"{path}: larger than {MAX_FILING_BYTES} bytes")
    return data


def _today(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CheckInputError("bad_today", f"--today {text!r}: expected YYYY-MM-DD") from None


def _settings(path: str | None) -> WardSettings:
    if path is None:
        return DEFAULT_SETTINGS
    try:
        raw = json.loads(_read(Path(path)))
        if not isinstance(raw, dict):
            raise WardSettingsError("ward settings must be a JSON object")
        return WardSettings.from_mapping(raw)
    except (ValueError, WardSettingsError) as err:
        raise CheckInputError("bad_settings", f"{path}: {err}") from None


def finding_dict(finding: Finding) -> dict[str, str]:
    """One finding as the CLI prints it."""
    return {"severity": finding.severity.value, "code": finding.code, "field": finding.field}


def check_report(
    filing: Filing,
    *,
    today: date,
    settings: WardSettings = DEFAULT_SETTINGS,
    findings: list[Finding] | None = None,
) -> dict[str, Any]:
    """The JSON object of ``check`` (also usable in-process, e.g. by the intake)."""
    if findings is None:
        findings = validate(filing, None, today=today, settings=settings)
    return {
        "findings": [finding_dict(f) for f in findings],
        "special_move_in": special_move_in(filing, today=today, settings=settings).as_dict(),
        "card_tasks": [
            sorted(t.value for t in tasks)
            for tasks in card_tasks(filing, today=today, settings=settings)
        ],
    }


def _emit(doc: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")


def cmd_check(args: argparse.Namespace) -> int:
    """Check one filing JSON file against the rules."""
    try:
        today = _today(args.today)
        settings = _settings(args.settings)
        filing = filing_from_json(_read(Path(args.filing)))
        findings = validate(filing, _master(args.db), today=today, settings=settings)
    except KioskError as err:
        _emit({"error": {"code": err.code, "message": str(err)}})
        return EXIT_NOT_A_FILING
    _emit(check_report(filing, today=today, settings=settings, findings=findings))
    return EXIT_ERRORS if has_errors(findings) else EXIT_OK


def _master(path: str | None) -> Any:
    if path is None:
        return None
    from kiosk.forms.master import AddressMaster

    return AddressMaster.open(Path(path))


def register(subparsers: Any) -> None:
    """Add the ``check`` sub-command."""
    check = subparsers.add_parser("check", help="check a filing against the rules (JSON out)")
    check.add_argument("--filing", required=True, help="filing JSON file")
    check.add_argument("--today", help="the day to check on (YYYY-MM-DD; default: today)")
    check.add_argument("--settings", help="ward settings JSON (default: the sources' values)")
    check.add_argument("--db", help="address master to resolve the new address (optional)")
    check.set_defaults(handler=cmd_check)
