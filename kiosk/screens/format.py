"""Display helpers shared by screens (dates, sexes, 続柄 glosses)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from kiosk.forms.model import Sex
from kiosk.forms.render.dates import wareki
from kiosk.i18n.catalog import N_


def birth_text(born: date | None) -> str:
    """``1985-04-12（昭和60年4月12日）``."""
    if born is None:
        return "-"
    return f"{born.isoformat()}（{wareki(born)}）"


def sex_text(sex: Sex | None, tr: Callable[[str], str]) -> str:
    """Translated sex."""
    if sex is None:
        return "-"
    return tr(N_("Male")) if sex is Sex.MALE else tr(N_("Female"))
