"""The glossary (``glossary.toml``): official terms, their approved rendering per language, the
ward word's renderings, and the promises that kiosk settings can contradict.

The tests hold the catalogs to it (``tests/unit/i18n/test_glossary.py``, ``test_promises.py``);
:mod:`kiosk.i18n.ward` reads the ward table from it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kiosk.i18n import GLOSSARY_PATH

#: the marker a source carries until a native reviewer or a publication confirms the rendering
UNREVIEWED_SOURCE = "project choice, to be reviewed"


class GlossaryError(ValueError):
    """The glossary file is malformed; ``where`` names the table or term."""

    code = "bad_glossary"

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Term:
    """One official term and how each language must say it."""

    id: str
    ja: str
    source: str
    match: re.Pattern[str] | None = None
    msgids: tuple[str, ...] = ()
    exempt: frozenset[str] = frozenset()
    render: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    avoid: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    note: str = ""

    def applies_to(self, msgid: str, japanese: str) -> bool:
        """Whether the catalog entry (msgid, its Japanese text) uses this term."""
        if msgid in self.exempt:
            return False
        if self.msgids:
            return msgid in self.msgids
        return self.match is not None and self.match.search(japanese) is not None


@dataclass(frozen=True, slots=True)
class Promise:
    """A wording that promises something; ``contradicted_by`` names the kiosk setting."""

    id: str
    says: str
    contradicted_by: str
    patterns: dict[str, tuple[re.Pattern[str], ...]]


@dataclass(frozen=True, slots=True)
class Glossary:
    """Everything in ``glossary.toml``."""

    terms: tuple[Term, ...]
    #: ward kind (区/市/町/村) → placeholder name (ward, ward_office) → language → text
    wards: dict[str, dict[str, dict[str, str]]]
    promises: tuple[Promise, ...]
    reviewed_by_native_speaker: bool


def _patterns(where: str, raw: object) -> dict[str, tuple[re.Pattern[str], ...]]:
    if not isinstance(raw, dict):
        raise GlossaryError(where, "must be a table of language = [patterns]")
    out: dict[str, tuple[re.Pattern[str], ...]] = {}
    for lang, items in raw.items():
        values = [items] if isinstance(items, str) else items
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise GlossaryError(f"{where}.{lang}", "must be a list of strings")
        try:
            out[str(lang)] = tuple(re.compile(v, re.IGNORECASE) for v in values)
        except re.error as err:
            raise GlossaryError(f"{where}.{lang}", f"bad pattern: {err}") from err
    return out


def _term(raw: dict[str, Any]) -> Term:
    where = f"term {raw.get('id', '?')}"
    for key in ("id", "ja", "source"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise GlossaryError(where, f"needs a {key}")
    if ("match" in raw) == ("msgids" in raw):
        raise GlossaryError(where, "needs exactly one of match / msgids")
    try:
        match = re.compile(raw["match"]) if "match" in raw else None
    except re.error as err:
        raise GlossaryError(where, f"bad match pattern: {err}") from err
    return Term(
        id=raw["id"],
        ja=raw["ja"],
        source=raw["source"],
        match=match,
        msgids=tuple(raw.get("msgids", ())),
        exempt=frozenset(raw.get("exempt", ())),
        render=_patterns(f"{where}.render", raw.get("render", {})),
        avoid=_patterns(f"{where}.avoid", raw.get("avoid", {})),
        note=str(raw.get("note", "")),
    )


def parse_glossary(text: str) -> Glossary:
    """A glossary from TOML text; :class:`GlossaryError` when a table is malformed."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise GlossaryError("glossary", f"not TOML: {err}") from err
    wards: dict[str, dict[str, dict[str, str]]] = {}
    for kind, table in data.get("ward", {}).items():
        if not isinstance(table, dict):
            raise GlossaryError(f"ward.{kind}", "must be a table")
        wards[kind] = {
            name: {str(k): str(v) for k, v in langs.items()} for name, langs in table.items()
        }
    promises = tuple(
        Promise(
            id=p["id"],
            says=p.get("says", ""),
            contradicted_by=p["contradicted_by"],
            patterns=_patterns(f"promise {p['id']}", p.get("patterns", {})),
        )
        for p in data.get("promise", [])
    )
    meta = data.get("meta", {})
    return Glossary(
        terms=tuple(_term(raw) for raw in data.get("term", [])),
        wards=wards,
        promises=promises,
        reviewed_by_native_speaker=bool(meta.get("reviewed_by_native_speaker", False)),
    )


@cache
def glossary() -> Glossary:
    """The shipped glossary (cached)."""
    return parse_glossary(GLOSSARY_PATH.read_text(encoding="utf-8"))
