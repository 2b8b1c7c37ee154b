"""The screen gallery: every screen a scripted visit reaches, shown in every language.

Playing a whole tour once per language costs a minute of touches per language; the screens
differ only in their words. In gallery mode the runner plays the tour once, in one language, by
real touches, and at every new screen state it switches the language through the app's own
language switch (the same call the welcome screen's language buttons make: the flow rebuilds the
screen from the visit's state), screenshots and overflow-checks it in each gallery language,
then switches back and plays on. The visit's state is the one the touches built, so the screens
are the real ones (three household members, a filled review), not mock-ups.
"""

from __future__ import annotations

from typing import Any

#: the pseudo-step the runner plays to show the current screen in another language
GALLERY_STEP = "gallery_lang"
#: set on the step that returns to the visit's own language (no new screenshot is due)
RESTORE = "gallery_restore"


class Carousel:
    """Which languages to show each new screen state in."""

    def __init__(self, languages: list[str]) -> None:
        self.languages = list(dict.fromkeys(languages))
        self._done: set[str] = set()

    def steps(self, state: str, current: str) -> list[dict[str, Any]]:
        """The pseudo-steps that show ``state`` (a screen state, without its language) in every
        other gallery language and then return to ``current``; none if it was shown already."""
        if state in self._done:
            return []
        self._done.add(state)
        others = [code for code in self.languages if code != current]
        if not others:
            return []
        return [{GALLERY_STEP: code} for code in others] + [{GALLERY_STEP: current, RESTORE: True}]
