"""Findings: what a rule reports (severity, stable code, JSON path of the offending key)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

#: a finding about one member: ``members[2].furigana``
MEMBER_FIELD = re.compile(r"members\[(\d+)\]")


class Severity(StrEnum):
    """Errors block printing; warnings are shown and printed for the clerk."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: JSON-path-like ``field`` (e.g. ``members[1].birth_date``) and a stable code."""

    field: str
    code: str
    severity: Severity
    params: Mapping[str, str | int] = dataclasses.field(default_factory=dict)


def err(path: str, code: str, **params: str | int) -> Finding:
    """An error finding."""
    return Finding(path, code, Severity.ERROR, params)


def warn(path: str, code: str, **params: str | int) -> Finding:
    """A warning finding."""
    return Finding(path, code, Severity.WARNING, params)


def has_errors(findings: list[Finding]) -> bool:
    """True if any finding is an error."""
    return any(f.severity is Severity.ERROR for f in findings)


def member_index(finding: Finding) -> int | None:
    """The index of the member a finding is about (its field ``members[i]…``), else None."""
    match = MEMBER_FIELD.match(finding.field)
    return int(match.group(1)) if match else None
