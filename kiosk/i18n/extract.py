"""Collect the UI's msgids from the sources and keep the ``.po`` files in step with them.

``python -m kiosk.i18n.extract`` lists problems (missing / untranslated per language) and exits 1
if any; ``--update`` adds new msgids (empty) and drops unused ones, keeping translations.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from kiosk.i18n.catalog import po_path
from kiosk.i18n.languages import LANGUAGES, SOURCE_LANGUAGE
from kiosk.i18n.po import Entry, read_po

KIOSK_DIR = Path(__file__).resolve().parents[1]
SOURCES = ("screens", "app.py")
_KV_CALL = re.compile(r'tr\._\("((?:[^"\\]|\\.)*)"\)')
_MARKERS = frozenset({"_", "N_"})
HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: {lang}\\n"\n'
)


def _source_files() -> Iterable[Path]:
    for name in SOURCES:
        path = KIOSK_DIR / name
        if path.is_dir():
            yield from sorted(path.glob("*.py"))
            yield from sorted(path.glob("*.kv"))
        else:
            yield path


def _py_msgids(text: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = (
            func.id
            if isinstance(func, ast.Name)
            else func.attr
            if isinstance(func, ast.Attribute)
            else ""
        )
        first = node.args[0]
        if name in _MARKERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.add(first.value)
    return found


def msgids() -> list[str]:
    """Every translatable string of the UI, sorted."""
    found: set[str] = set()
    for path in _source_files():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".kv":
            found |= {ast.literal_eval(f'"{m}"') for m in _KV_CALL.findall(text)}
        else:
            found |= _py_msgids(text)
    found |= set(finding_msgids())
    return sorted(m for m in found if m)


def finding_msgids() -> list[str]:
    """The validation findings' texts residents see on the review (``kiosk.forms.messages``)."""
    from kiosk.forms.messages import MESSAGES, msgid

    return sorted(msgid(code) for code in MESSAGES)


def problems(code: str, wanted: Sequence[str]) -> list[str]:
    """Missing, empty or fuzzy translations of ``wanted`` in one language."""
    path = po_path(code)
    if not path.exists():
        return [f"{code}: no catalog at {path}"]
    entries = {e.msgid: e for e in read_po(path) if e.msgid}
    out = []
    for msgid in wanted:
        entry = entries.get(msgid)
        if entry is None:
            out.append(f"{code}: missing {msgid!r}")
        elif not entry.msgstr.strip() or entry.fuzzy:
            out.append(f"{code}: untranslated {msgid!r}")
    return out


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def write_po(code: str, wanted: Sequence[str]) -> None:
    """Rewrite one catalog with exactly ``wanted``, keeping existing translations."""
    path = po_path(code)
    old: dict[str, Entry] = {}
    if path.exists():
        old = {e.msgid: e for e in read_po(path) if e.msgid}
    lines = [HEADER.format(lang=code)]
    for msgid in wanted:
        entry = old.get(msgid)
        if entry is not None and entry.fuzzy:
            lines.append("#, fuzzy")
        lines.append(f"msgid {_quote(msgid)}\nmsgstr {_quote(entry.msgstr if entry else '')}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Check (default) or ``--update`` the catalogs."""
    parser = argparse.ArgumentParser(prog="python -m kiosk.i18n.extract")
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args(argv)
    wanted = msgids()
    found: list[str] = []
    for lang in LANGUAGES:
        if lang.code == SOURCE_LANGUAGE:
            continue
        if args.update:
            write_po(lang.code, wanted)
        found += problems(lang.code, wanted)
    for line in found:
        print(line)  # noqa: T201 - a CLI report
    print(f"{len(wanted)} msgids, {len(found)} problems")  # noqa: T201
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
