"""Who files (届出人): a mover (本人) or someone who does not move; one question, big buttons."""

from __future__ import annotations

from functools import partial

from kiosk.forms.model import Standing
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen

#: the standing as the resident reads it
STANDING_LABELS = {
    Standing.SELF: N_("the person moving (本人)"),
    Standing.HEAD: N_("head of household (世帯主)"),
    Standing.HOUSEHOLD_MEMBER: N_("household member (同一世帯員)"),
    Standing.PROXY: N_("representative with a letter of proxy (代理人・委任状)"),
    Standing.LEGAL_REPRESENTATIVE: N_("legal representative (法定代理人)"),
}
#: filers who do not move: (id, standing, button text)
OUTSIDE = (
    ("filer_head", Standing.HEAD, N_("The head of household, who does not move (世帯主)")),
    ("filer_member", Standing.HOUSEHOLD_MEMBER,
     N_("Someone of the same household who does not move (同一世帯員)")),
    ("filer_proxy", Standing.PROXY, N_("A representative with a letter of proxy (代理人・委任状)")),
    ("filer_legal", Standing.LEGAL_REPRESENTATIVE,
     N_("A legal representative, e.g. a parent or guardian (法定代理人)")),
)  # fmt: skip


class FilerScreen(KioskScreen):
    """The movers as buttons (本人), then the four standings of someone who does not move."""

    def build_body(self) -> None:
        """One large button per choice; the current one highlighted."""
        filer = self.flow.household.filer
        draft = filer.draft
        self.hint(self._("The person at the kiosk who signs the form."))
        for i, member in enumerate(self.flow.visit.members):
            chosen = draft.member_index == i
            self.button(
                f"filer_self_{i}",
                member.name,
                partial(filer.choose_member, i),
                role="primary" if chosen else "secondary",
            )
        self.text(self._("Someone who does not move:"))
        for key, standing, label in OUTSIDE:
            chosen = draft.member_index is None and draft.standing is standing
            self.button(
                key,
                self._(label),
                partial(filer.choose_outside, standing),
                role="primary" if chosen else "secondary",
                tall=True,
            )
        self.text(self._("A representative brings the letter of proxy and their own ID."))
        self.footer_button("filer_back", self._("Back"), filer.close, role="secondary")


SCREEN = FilerScreen
