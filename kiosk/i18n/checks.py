"""Reviews a machine can do: terms as the glossary says, no promise the settings contradict.

Each check returns a list of :class:`Problem` (empty = clean); the tests assert on them and the
review sheet shows them beside the string (``python -m kiosk.i18n.review_sheet``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.config import KioskConfig
from kiosk.i18n.catalog import po_path
from kiosk.i18n.extract import msgids
from kiosk.i18n.glossary import Glossary, Promise, glossary
from kiosk.i18n.languages import BY_CODE, SOURCE_LANGUAGE
from kiosk.i18n.po import read_po
from kiosk.i18n.ruby import has_notation, parse

#: the catalog whose wording decides which official term an entry uses
REFERENCE_LANGUAGE = "ja"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: which language and message, which rule, what is wrong."""

    lang: str
    msgid: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.lang}: {self.rule}: {self.detail} — {self.msgid!r}"


def source_texts(code: str) -> dict[str, str]:
    """msgid → the text as written in the ``.po`` (placeholders and ruby notation kept).

    English, the source language, shows the msgid unless its catalog corrects it.
    """
    path = po_path(code)
    written = {e.msgid: e.msgstr for e in read_po(path) if e.msgid} if path.exists() else {}
    if code == SOURCE_LANGUAGE:
        return {m: written.get(m) or m for m in msgids()}
    return written


def _readable(code: str, text: str) -> str:
    lang = BY_CODE.get(code)
    if lang is not None and lang.ruby and has_notation(text):
        return "".join(seg.text for seg in parse(text))
    return text


def check_terms(
    code: str,
    texts: dict[str, str],
    japanese: dict[str, str],
    terms: Glossary | None = None,
) -> list[Problem]:
    """Every entry that uses a glossary term renders it as approved and avoids what is banned."""
    out: list[Problem] = []
    for term in (terms or glossary()).terms:
        render = term.render.get(code, ())
        avoid = term.avoid.get(code, ())
        if not render and not avoid:
            continue
        for msgid, text in texts.items():
            if not term.applies_to(msgid, japanese.get(msgid, "")):
                continue
            if render and not any(p.search(text) for p in render):
                wanted = " | ".join(p.pattern for p in render)
                out.append(Problem(code, msgid, f"term {term.id}", f"should say {wanted}"))
            for pattern in avoid:
                if pattern.search(text):
                    out.append(
                        Problem(code, msgid, f"term {term.id}", f"avoid {pattern.pattern!r}")
                    )
    return out


def contradicting_setting(promise: Promise, config: KioskConfig) -> str:
    """Why ``config`` makes the promise false ('' when it holds)."""
    value = getattr(config, promise.contradicted_by, None)
    if promise.contradicted_by in ("idle_reset_s", "idle_warning_s"):
        if isinstance(value, int | float) and value > 0:
            return f"{promise.contradicted_by} = {value:g} s ends the visit"
        return ""
    if value:
        return f"{promise.contradicted_by} = {value!r}"
    return ""


def check_promises(
    code: str, texts: dict[str, str], config: KioskConfig, terms: Glossary | None = None
) -> list[Problem]:
    """No string promises what the settings contradict (e.g. "no time limit" with an idle reset)."""
    out: list[Problem] = []
    for promise in (terms or glossary()).promises:
        reason = contradicting_setting(promise, config)
        if not reason:
            continue
        for msgid, text in texts.items():
            readable = _readable(code, text)
            for pattern in promise.patterns.get(code, ()):
                if pattern.search(readable):
                    out.append(Problem(code, msgid, f"promise {promise.id}", reason))
    return out


QUOTED = re.compile(r'[“「"]([^”」"]+)[”」"]')


def check_quotes(code: str, texts: dict[str, str], english: dict[str, str]) -> list[Problem]:
    """Where the English quotes another screen text (“Continue”), the translation quotes that
    text's translation in the same language, so the resident finds the button it names."""
    shown = {_readable(code, t) for t in texts.values()}
    out: list[Problem] = []
    for msgid, text in texts.items():
        if not QUOTED.search(english.get(msgid, "")):
            continue
        for quoted in QUOTED.findall(_readable(code, text)):
            if "{" not in quoted and quoted not in shown:
                out.append(Problem(code, msgid, "quote", f"“{quoted}” is no screen text"))
    return out
