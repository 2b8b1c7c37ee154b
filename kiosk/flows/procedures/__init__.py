"""One part per procedure family; each owns its steps after the card, its draft and its Filing.

The welcome screen offers ``PROCEDURES`` before any family is imported (start-up time, issue 14);
``families()`` imports them on the first touch. ``tests/unit/flows/test_parts.py`` checks that
the list here is the families' own kinds, in order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.forms.kinds import FilingKind

if TYPE_CHECKING:
    from kiosk.flows.procedures.base import Procedure

#: procedures offered on the welcome and procedure screens, in order (the families' kinds)
PROCEDURES: tuple[FilingKind, ...] = (
    FilingKind.MOVE_IN,  # MovesProcedure
    FilingKind.MOVE_WITHIN,
    FilingKind.MOVE_OUT,
    FilingKind.HOUSEHOLD_RESTRUCTURE,  # HouseholdChangeProcedure
    FilingKind.SEAL_CARD_BINDING,  # CardProcedures
    FilingKind.HONSEKI_CONVENIENCE_REGISTRATION,
)


def families() -> tuple[type[Procedure], ...]:
    """The procedure families, each a part of its own (imported on first use)."""
    from kiosk.flows.procedures.card import CardProcedures
    from kiosk.flows.procedures.household_change import HouseholdChangeProcedure
    from kiosk.flows.procedures.moves import MovesProcedure

    return (MovesProcedure, HouseholdChangeProcedure, CardProcedures)
