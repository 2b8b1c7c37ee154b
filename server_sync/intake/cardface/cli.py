"""``python -m server_sync.intake card-face --filing F --out DIR [--first-line N] [--font-pt P]``.

Writes ``DIR/<member index>.png`` per My Number card needing 券面記載事項変更 (and
``DIR/<index>-<card>.png`` for 在留カード / 特別永住者証明書 when the ward prints those).
Exit 0 when at least one image was written, 1 when the filing has no card-face work, 2 on bad
input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.forms.codec import filing_from_json
from kiosk.forms.errors import FilingFormatError

from .errors import CardFaceError
from .render import checked_options, render_png
from .settings import ENV_SETTINGS, load_settings
from .targets import card_face_jobs

EXIT_NO_WORK = 1
EXIT_USAGE = 2


def cmd_card_face(args: argparse.Namespace) -> int:
    """Render every card-face print of one filing JSON file into --out."""
    try:
        filing = filing_from_json(args.filing.read_bytes())
    except (OSError, FilingFormatError) as err:
        print(f"error: not a filing: {args.filing}: {err}", file=sys.stderr)
        return EXIT_USAGE
    try:
        settings = load_settings(
            environ={ENV_SETTINGS: str(args.settings)} if args.settings is not None else None
        )
        options = checked_options(settings, args.first_line, args.font_pt)
        jobs = card_face_jobs(filing, settings)
        if not jobs:
            print("no card needs a card-face update in this filing", file=sys.stderr)
            return EXIT_NO_WORK
        args.out.mkdir(parents=True, exist_ok=True)
        for job in jobs:
            path = args.out / job.file_name
            path.write_bytes(render_png(job, settings, options))
            print(path)
    except CardFaceError as err:
        print(f"error: {err.code}: {err.detail}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def add_card_face_parser(
    sub: Any, _db: Callable[[argparse.ArgumentParser], None] | None = None
) -> None:
    """Register the ``card-face`` sub-command on the intake's parser."""
    del _db
    parser = sub.add_parser("card-face", help="render the card-face (追記欄) prints of a filing")
    parser.add_argument("--filing", type=Path, required=True, help="a filing JSON file")
    parser.add_argument("--out", type=Path, required=True, help="directory for <member index>.png")
    parser.add_argument(
        "--first-line", type=int, default=None, help="first free line of the 追記欄 (1 = top)"
    )
    parser.add_argument("--font-pt", type=float, default=None, help="font size in points")
    parser.add_argument(
        "--settings", type=Path, default=None, help=f"ward settings JSON (default: ${ENV_SETTINGS})"
    )
    parser.set_defaults(handler=cmd_card_face)
