"""一部転出 / 一部転居: who stays in the household left behind, and its new 世帯主."""

from __future__ import annotations

from functools import partial

from kiosk.flows.origin import MAX_STAYING, MAX_STAYING_ADULTS
from kiosk.screens.base import KioskScreen


class OriginScreen(KioskScreen):
    """How many stay; who was the 世帯主; the new 世帯主 of those who stay (top to bottom)."""

    def build_body(self) -> None:
        """The answers so far, each with its buttons."""
        origin = self.flow.household.origin
        draft = origin.draft
        self.hint(self._("How many people of your household stay at the old address?"))
        grid = self.grid(MAX_STAYING + 1, portrait_cols=3)
        self.button(
            "stay_0", self._("Nobody stays"), partial(origin.set_staying, 0), role="secondary",
            parent=grid, tall=self.app.large_text,
        )  # fmt: skip
        for count in range(1, MAX_STAYING + 1):
            label = (
                str(count) if count < MAX_STAYING else self._("{count} or more").format(count=count)
            )
            self.button(
                f"stay_{count}", label, partial(origin.set_staying, count),
                role="primary" if draft.staying == count else "secondary", parent=grid,
                tall=self.app.large_text,
            )  # fmt: skip
        if not origin.partial:
            return
        self.text(self._("Who was the head of household until now?"))
        heads = self.grid(2, portrait_cols=1)
        for i, member in enumerate(self.flow.visit.members):
            self.button(
                f"old_head_{i}", member.name, partial(origin.set_old_head_member, i),
                role="primary" if draft.old_head_member == i else "secondary", parent=heads,
            )  # fmt: skip
        self.button(
            "old_head_stays",
            draft.old_head_name or self._("Someone who stays (type the name)"),
            origin.ask_old_head_name,
            role="primary" if draft.old_head_name else "secondary",
            parent=heads,
        )
        if origin.needs_adults_count:
            self.text(self._("How many of those who stay are 15 or older?"))
            adults = self.grid(MAX_STAYING_ADULTS + 1, portrait_cols=2)
            for count in range(MAX_STAYING_ADULTS + 1):
                label = (
                    str(count)
                    if count < MAX_STAYING_ADULTS
                    else self._("{count} or more").format(count=count)
                )
                self.button(
                    f"adults_{count}", label, partial(origin.set_staying_adults, count),
                    role="primary" if draft.staying_adults == count else "secondary",
                    parent=adults,
                )  # fmt: skip
        if origin.needs_remaining_head:
            # the question and the name given in the body; the button to type it in the footer
            # beside "next", so that it is never scrolled away
            self.text(self._("Who becomes the head of those who stay?"))
            if draft.remaining_head:
                self.text(draft.remaining_head, data=True)
        elif origin.automatic_head and draft.staying == 1:
            self.text(self._("The person who stays becomes the head of household."))
        elif origin.automatic_head:
            self.text(
                self._(
                    "The one adult who stays becomes the head of household."
                    " No separate notification is needed."
                )
            )
        if origin.needs_remaining_head:
            self.footer_button(
                "remaining_head",
                self._("Type the name of the new head"),
                origin.ask_remaining_head,
                role="chip" if draft.remaining_head else "danger",
            )
        self.footer_button("origin_next", self._("Next"), origin.done)


SCREEN = OriginScreen
