"""続柄 with its gloss in the visit language: one helper for every screen."""

from __future__ import annotations

import gettext

import pytest

from kiosk.forms.relationship import COHABITANT, HEAD, OTHER_RELATIVE, Link, build_chain
from kiosk.i18n.catalog import translations
from kiosk.screens.relationship_text import (
    relationship_button,
    relationship_gloss,
    relationship_text,
)


def _tr(code: str):  # type: ignore[no-untyped-def]
    catalog: gettext.NullTranslations = translations(code)
    return catalog.gettext


@pytest.mark.parametrize(
    ("code", "links", "shown"),
    [
        ("vi", [Link.WIFE], "妻 / vợ"),
        ("en", [Link.WIFE], "妻 / wife"),
        ("en", [Link.WIFE, Link.FATHER], "妻の父 / wife's father"),
        ("en", [Link.CHILD, Link.CHILD, Link.WIFE], "子の子の妻 / wife of grandchild"),
        ("vi", [Link.CHILD, Link.CHILD, Link.WIFE], "子の子の妻 / vợ của cháu"),
        ("zh", [Link.CHILD, Link.CHILD, Link.WIFE], None),
        ("ja", [Link.WIFE], "妻"),  # the gloss says the same: not repeated
        ("ja", [Link.CHILD, Link.WIFE], "子の妻 / 子の妻（嫁）"),
    ],
)
def test_relationship_text(code: str, links: list[Link], shown: str | None) -> None:
    text = relationship_text(build_chain(links), _tr(code))
    if shown is None:
        assert text.startswith("子の子の妻 / ") and len(text) > len("子の子の妻 / ")
    else:
        assert text == shown


def test_specials_head_and_none() -> None:
    tr = _tr("vi")
    assert relationship_text(None, tr) == "-"
    assert relationship_gloss(HEAD, tr) == tr("Head of household")
    assert relationship_text(COHABITANT, tr).startswith("同居人 / ")
    assert relationship_text(OTHER_RELATIVE, tr).startswith("縁故者 / ")


def test_button_has_two_lines_outside_japanese() -> None:
    rel = build_chain([Link.WIFE, Link.MOTHER])
    assert relationship_button(rel, _tr("ko")).split("\n")[0] == "妻の母"
    assert "\n" in relationship_button(rel, _tr("ko"))
    assert relationship_button(build_chain([Link.WIFE]), _tr("ja")) == "妻"
