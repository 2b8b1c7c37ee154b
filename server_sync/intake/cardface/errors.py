"""Typed errors of the card-face prints (each with a stable ``code`` and the data behind it)."""

from __future__ import annotations

from server_sync.errors import SyncError


class CardFaceError(SyncError):
    """Base of what the card-face renderer and its printer client raise on purpose."""

    code = "card_face_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class CardFaceSettingsError(CardFaceError):
    """The ward's card-face settings file is missing a value, has an unknown key or a bad value."""

    code = "card_face_settings"

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


class NoCardFaceWorkError(CardFaceError):
    """The filing (or the member asked for) has no card whose face needs an update."""

    code = "no_card_face_work"


class BoxFullError(CardFaceError):
    """The entry does not fit below ``first_line`` in the 追記欄 (the card needs renewal)."""

    code = "box_full"

    def __init__(self, lines_needed: int, first_line: int, lines_in_box: int) -> None:
        super().__init__(
            f"the entry needs {lines_needed} lines from line {first_line}, "
            f"the 追記欄 has {lines_in_box}"
        )
        self.lines_needed = lines_needed
        self.first_line = first_line
        self.lines_in_box = lines_in_box


class GlyphMissingError(CardFaceError):
    """A character is in neither the form's font nor IPAmj明朝: refused, never substituted."""

    code = "glyph_missing"

    def __init__(self, codepoint: int, font: str) -> None:
        super().__init__(f"U+{codepoint:04X} is not in {font}")
        self.codepoint = codepoint
        self.font = font


class PrinterError(CardFaceError):
    """The CUPS server could not be reached or refused the request (IPP status in ``status``)."""

    code = "printer_error"

    def __init__(self, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.status = status
