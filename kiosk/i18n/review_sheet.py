"""Review sheets for native reviewers: one CSV and one HTML page per language.

``python -m kiosk.i18n.review_sheet OUT [--screenshots DIR] [--languages ja,en,…] [--run-tour]``

Each row: the source id (the English msgid), the screen it appears on, the Japanese, the
translation as written in the catalog, the text as a resident sees it (ward word filled in,
furigana dropped), the screenshot of that screen in that language, and what the automatic checks
(glossary, promises, やさしい日本語) say about it. Screenshots come from the scripted tour
``examples/visits/tour_all_screens.json`` (``--run-tour`` plays it into DIR first).
See docs/translations.md.
"""

from __future__ import annotations

import argparse
import ast
import csv
import html
import json
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import KioskConfig
from kiosk.i18n.checks import Problem, check_promises, check_quotes, check_terms, source_texts
from kiosk.i18n.easy import check_easy_japanese
from kiosk.i18n.extract import _KV_CALL, KIOSK_DIR, _py_msgids, finding_msgids, msgids
from kiosk.i18n.languages import BY_CODE, LANGUAGES
from kiosk.i18n.ruby import parse
from kiosk.i18n.ward import DEFAULT_WARD, fill

REPO_DIR = KIOSK_DIR.parent
TOUR = REPO_DIR / "examples" / "visits" / "tour_all_screens.json"
DEFAULT_SCREENSHOTS = REPO_DIR / "artifacts" / "languages"
COLUMNS = ("id", "screen", "japanese", "translation", "shown", "screenshot", "checks")
#: screen modules that only hold shared helpers: their strings appear on several screens
SHARED = frozenset({"base", "format", "widgets", "tr", "markup", "problem_text", "app_port"})
#: where the validation findings are shown
FINDINGS_SCREEN = "review"
TOUR_TIMEOUT_S = 1200


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a review sheet."""

    id: str
    screen: str
    japanese: str
    translation: str
    shown: str
    screenshot: str
    checks: str

    def cells(self) -> tuple[str, ...]:
        """The values in :data:`COLUMNS` order."""
        return (
            self.id,
            self.screen,
            self.japanese,
            self.translation,
            self.shown,
            self.screenshot,
            self.checks,
        )


def screens_by_msgid() -> dict[str, list[str]]:
    """msgid → the screens whose source uses it (file stem; shared helpers and the app give
    "several"/"app")."""
    found: dict[str, set[str]] = {}
    paths = sorted((KIOSK_DIR / "screens").glob("*.py")) + sorted(
        (KIOSK_DIR / "screens").glob("*.kv")
    )
    for path in [*paths, KIOSK_DIR / "app.py"]:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".kv":
            ids = {ast.literal_eval(f'"{m}"') for m in _KV_CALL.findall(text)}
        else:
            ids = _py_msgids(text)
        name = "several" if path.stem in SHARED else path.stem
        for msgid in ids:
            found.setdefault(msgid, set()).add(name)
    for msgid in finding_msgids():
        found.setdefault(msgid, set()).add(FINDINGS_SCREEN)
    return {m: sorted(s) for m, s in found.items()}


def screenshot_for(shots: Sequence[Path], code: str, screens: Sequence[str]) -> str:
    """The first tour screenshot of one of ``screens`` in ``code`` ('' when there is none)."""
    for screen in screens:
        pattern = re.compile(rf"_{re.escape(code)}_\d{{3}}_{re.escape(screen)}\.png$")
        for shot in shots:
            if pattern.search(shot.name):
                return str(shot)
    return ""


def _shown(code: str, text: str, ward: str) -> str:
    filled = fill(text, ward, code)
    lang = BY_CODE.get(code)
    if lang is not None and lang.ruby:
        return "".join(seg.text for seg in parse(filled))
    return filled


def problems_of(code: str, texts: dict[str, str], config: KioskConfig) -> list[Problem]:
    """Every automatic finding for one language."""
    found = check_terms(code, texts, source_texts("ja"))
    found += check_promises(code, texts, config)
    found += check_quotes(code, texts, source_texts("en"))
    if code == "ja_easy":
        found += check_easy_japanese(texts)
    return found


def rows(code: str, shots: Sequence[Path], ward: str = DEFAULT_WARD) -> list[Row]:
    """The review sheet of one language."""
    texts = source_texts(code)
    japanese = source_texts("ja")
    where = screens_by_msgid()
    findings: dict[str, list[str]] = {}
    for problem in problems_of(code, texts, KioskConfig(ward=ward)):
        findings.setdefault(problem.msgid, []).append(f"{problem.rule}: {problem.detail}")
    out = []
    for msgid in msgids():
        text = texts.get(msgid, "")
        screens = where.get(msgid, [])
        out.append(
            Row(
                id=msgid,
                screen=", ".join(screens),
                japanese=_shown("ja", japanese.get(msgid, ""), ward),
                translation=text,
                shown=_shown(code, text, ward) if text else "",
                screenshot=screenshot_for(shots, code, screens),
                checks="; ".join(findings.get(msgid, [])) or ("untranslated" if not text else ""),
            )
        )
    return out


def write_csv(path: Path, sheet: Sequence[Row]) -> None:
    """UTF-8 with BOM so spreadsheet programs open the scripts right."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(row.cells() for row in sheet)


def write_html(path: Path, code: str, sheet: Sequence[Row]) -> None:
    """A page with a thumbnail of each row's screen (links relative to the sheet)."""
    lang = BY_CODE.get(code)
    title = f"Review sheet: {lang.native if lang else code} ({code})"
    lines = [
        "<!doctype html>",
        f'<html lang="{html.escape(lang.tag if lang else code)}"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif}td{vertical-align:top;border-top:1px solid #ccc;"
        "padding:4px}img{width:320px}.bad{color:#b00020}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        "<table><tr>" + "".join(f"<th>{c}</th>" for c in COLUMNS) + "</tr>",
    ]
    for row in sheet:
        shot = ""
        if row.screenshot:
            rel = Path(row.screenshot)
            try:
                rel = rel.resolve().relative_to(path.parent.resolve())
            except ValueError:
                rel = rel.resolve()
            shot = f'<a href="{html.escape(str(rel))}"><img src="{html.escape(str(rel))}"></a>'
        cells = [
            html.escape(row.id),
            html.escape(row.screen),
            html.escape(row.japanese),
            html.escape(row.translation),
            html.escape(row.shown),
            shot,
            f'<span class="bad">{html.escape(row.checks)}</span>',
        ]
        lines.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    lines.append("</table></body></html>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_tour(shots_dir: Path, codes: Sequence[str]) -> int:
    """Play the every-screen tour in ``codes`` with screenshots into ``shots_dir``."""
    shots_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable, "-m", "kiosk", "demo", "--script", str(TOUR),
        "--languages", ",".join(codes), "--screenshots", str(shots_dir),
    ]  # fmt: skip
    return subprocess.run(cmd, check=False, timeout=TOUR_TIMEOUT_S).returncode  # noqa: S603


def main(argv: Sequence[str] | None = None) -> int:
    """Write OUT/<code>.csv and OUT/<code>.html for each language; print a JSON summary."""
    parser = argparse.ArgumentParser(prog="python -m kiosk.i18n.review_sheet")
    parser.add_argument("out", type=Path, help="folder for the sheets")
    parser.add_argument("--screenshots", type=Path, default=DEFAULT_SCREENSHOTS)
    parser.add_argument("--languages", default=",".join(lang.code for lang in LANGUAGES))
    parser.add_argument("--ward", default=DEFAULT_WARD, choices=["区", "市", "町", "村"])
    parser.add_argument("--run-tour", action="store_true", help="play the tour for screenshots")
    args = parser.parse_args(argv)
    codes = [c.strip() for c in args.languages.split(",") if c.strip()]
    unknown = [c for c in codes if c not in BY_CODE]
    if unknown:
        parser.error(f"unknown language(s): {', '.join(unknown)}")
    if args.run_tour and run_tour(args.screenshots, codes) != 0:
        error = {"code": "tour_failed", "message": "the tour did not end as scripted"}
        print(json.dumps({"error": error}))  # noqa: T201 - a CLI report
        return 2
    shots = sorted(args.screenshots.glob("*.png")) if args.screenshots.is_dir() else []
    args.out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, dict[str, object]] = {}
    for code in codes:
        sheet = rows(code, shots, args.ward)
        write_csv(args.out / f"{code}.csv", sheet)
        write_html(args.out / f"{code}.html", code, sheet)
        summary[code] = {
            "rows": len(sheet),
            "with_screenshot": sum(1 for r in sheet if r.screenshot),
            "flagged": sum(1 for r in sheet if r.checks),
        }
    report = {"out": str(args.out), "screenshots": len(shots), "languages": summary}
    print(json.dumps(report, ensure_ascii=False))  # noqa: T201 - a CLI report
    return 0


if __name__ == "__main__":
    sys.exit(main())
