"""転出: in Japan or abroad (国外転出), and for abroad whether the stay lasts one year or more.

One screen (``Step.MOVE_ABROAD``) in two stages: ``WHERE`` (in Japan / abroad) before the
destination is typed, then — only for abroad, after the country and address — ``YEAR`` (one year
or more / less than a year). A stay abroad under a year is usually no 国外転出 at all: the counter
talks it through, the filing carries the answer (``abroad_for_one_year_or_more``).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from kiosk.flows.nav import Navigator
from kiosk.flows.steps import Step


class AbroadStage(StrEnum):
    """Which question the screen shows."""

    WHERE = "where"
    YEAR = "year"


def _ignore(_answer: bool) -> None:
    """The answer callback before a question is asked."""


class AbroadQuestion:
    """``ask_where`` / ``ask_year``: the screen calls ``answer`` or ``back``."""

    def __init__(self, nav: Navigator) -> None:
        self._nav = nav
        self.stage = AbroadStage.WHERE
        #: the answer given before (highlighted; never taken without a touch)
        self.current: bool | None = None
        self._done: Callable[[bool], None] = _ignore
        self._back: Callable[[], None] = lambda: None

    def ask_where(
        self, current: bool | None, done: Callable[[bool], None], back: Callable[[], None]
    ) -> None:
        """In Japan (False) or abroad (True)."""
        self._ask(AbroadStage.WHERE, current, done, back)

    def ask_year(
        self, current: bool | None, done: Callable[[bool], None], back: Callable[[], None]
    ) -> None:
        """Abroad for one year or more (True) or less (False)."""
        self._ask(AbroadStage.YEAR, current, done, back)

    def _ask(
        self,
        stage: AbroadStage,
        current: bool | None,
        done: Callable[[bool], None],
        back: Callable[[], None],
    ) -> None:
        self.stage, self.current, self._done, self._back = stage, current, done, back
        self._nav.go(Step.MOVE_ABROAD)

    def answer(self, value: bool) -> None:
        """The resident's touch."""
        self.current = value
        self._done(value)

    def back(self) -> None:
        """Back without an answer."""
        self._back()

    def clear(self) -> None:
        """Forget the question (the visit ended)."""
        self.stage = AbroadStage.WHERE
        self.current = None
        self._done, self._back = _ignore, lambda: None
