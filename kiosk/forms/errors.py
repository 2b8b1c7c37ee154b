"""Typed errors of the filing domain (model, JSON, payload, address master)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.errors import KioskError


class FormsError(KioskError):
    """Base of every error raised by ``kiosk.forms``."""

    code = "forms_error"


class RelationshipError(FormsError, ValueError):
    """A 続柄 chain the standard does not allow; ``reason`` is a stable sub-code."""

    code = "relationship_invalid"

    def __init__(self, reason: str, text: str = "") -> None:
        super().__init__(f"{reason}: {text!r}")
        self.reason = reason
        self.text = text


class FilingFormatError(FormsError, ValueError):
    """A filing JSON document does not match the format; ``path`` points at the bad field."""

    code = "filing_format"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class PayloadError(FormsError, ValueError):
    """Barcode content that cannot be decoded; ``reason`` is a stable sub-code."""

    code = "payload_invalid"

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One problem found while importing master CSVs (line 1 is the header)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class MasterImportError(FormsError):
    """Master CSVs were rejected; the installed master was not touched."""

    code = "master_import"

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{len(problems)} problem(s): {shown}{more}")
        self.problems = tuple(problems)


class MasterUnavailableError(FormsError):
    """The address master database is missing or not a master database."""

    code = "master_unavailable"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class KeyFileError(FormsError):
    """A device key file is missing, unreadable or not an Ed25519 key."""

    code = "key_file"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
