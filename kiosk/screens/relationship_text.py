"""続柄 with its plain-language gloss in the visit's language, wherever a screen shows one.

``relationship_gloss`` names a 続柄 in the visit language (``妻`` → "vợ"; a chain the picker has
no word for is composed link by link: ``子の子の妻`` → "wife of grandchild"). ``relationship_text``
is the one-line form for lists (``妻 / vợ``); buttons use the two-line
``kiosk.screens.relationship.relationship_label``. Japanese visits see the gloss only where it
says more than the 続柄 itself (e.g. ``子の妻（嫁）``).
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.forms.relationship import Link, Relationship, RelationshipKind
from kiosk.i18n.catalog import N_
from kiosk.i18n.ruby import plain_text
from kiosk.screens.relationship import SHORTCUTS, SPECIALS, relationship_label

Translate = Callable[[str], str]

#: a chain the table has no word for: the last link "of" the rest (translated per language)
OF_TEMPLATE = N_("{relative} of {person}")
HEAD_GLOSS = N_("Head of household")

_CHAIN_GLOSSES: dict[tuple[Link, ...], str] = {links: gloss for _key, links, gloss in SHORTCUTS}
_SPECIAL_GLOSSES: dict[RelationshipKind, str] = {rel.kind: gloss for _key, rel, gloss in SPECIALS}


def _chain_gloss(links: tuple[Link, ...], tr: Translate) -> str:
    known = _CHAIN_GLOSSES.get(links)
    if known is not None:
        return tr(known)
    if len(links) < 2:
        return ""
    last = _CHAIN_GLOSSES.get(links[-1:])
    person = _chain_gloss(links[:-1], tr)
    if last is None or not person:
        return ""
    return tr(OF_TEMPLATE).format(relative=tr(last), person=person)


def relationship_gloss(rel: Relationship, tr: Translate) -> str:
    """The 続柄 in the visit language (translated by ``tr``); "" if there is no word for it."""
    if rel.kind is RelationshipKind.HEAD:
        return tr(HEAD_GLOSS)
    if rel.kind is RelationshipKind.CHAIN:
        return _chain_gloss(rel.links, tr)
    special = _SPECIAL_GLOSSES.get(rel.kind)
    return tr(special) if special else ""


def _adds(display: str, gloss: str) -> bool:
    """Whether the gloss says more than the 続柄 (furigana and spaces aside)."""
    return bool(gloss) and plain_text(gloss).replace(" ", "").replace("\u3000", "") != display


def relationship_text(rel: Relationship | None, tr: Translate) -> str:
    """One line: ``妻 / vợ``; ``-`` when no 続柄 is chosen yet."""
    if rel is None:
        return "-"
    gloss = relationship_gloss(rel, tr)
    return f"{rel.display} / {gloss}" if _adds(rel.display, gloss) else rel.display


def relationship_button(rel: Relationship, tr: Translate) -> str:
    """Two lines for a button: ``妻`` over its gloss (one line when the gloss adds nothing)."""
    gloss = relationship_gloss(rel, tr)
    return relationship_label(rel.display, gloss) if gloss else rel.display
