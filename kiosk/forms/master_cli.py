"""``python -m kiosk.forms import-master``: install an address master from ABR CSVs."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from kiosk.forms.errors import MasterImportError, MasterUnavailableError
from kiosk.forms.master import AddressMaster, import_master
from kiosk.forms.master.sample_data import SAMPLE_WARD, sample_csv_paths
from kiosk.forms.paths import default_master_path

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_REJECTED = 2
EXIT_IO = 3


def register(subparsers: Any) -> None:
    """Add the ``import-master`` and ``master-info`` sub-commands."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "import-master",
        help="import ABR CSVs (町字, 住居表示 街区/住居, 地番) and a 方書 list into the master",
        description=(
            "Builds a new master for one ward from the given CSVs and atomically replaces the "
            "installed one. Nothing changes if any CSV has a problem. Default database: "
            "$KIOSK_MASTER_DB, else $KIOSK_STATE_DIR/master.sqlite, else "
            "/var/lib/kiosk/master.sqlite."
        ),
    )
    p.add_argument("--ward", required=True, help="6-digit 全国地方公共団体コード, e.g. 131041")
    p.add_argument("--db", type=Path, default=None, help="master database path")
    p.add_argument(
        "--sample", action="store_true", help=f"import the shipped sample ward ({SAMPLE_WARD})"
    )
    p.add_argument("csv", nargs="*", type=Path, help="CSV files (any order)")
    p.set_defaults(handler=run_import)

    info = subparsers.add_parser("master-info", help="show version and counts of the master")
    info.add_argument("--db", type=Path, default=None, help="master database path")
    info.set_defaults(handler=run_info)


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def run_import(args: argparse.Namespace) -> int:
    """Handler of ``import-master``."""
    db: Path = args.db or default_master_path()
    paths: list[Path] = list(args.csv)
    if args.sample:
        paths = sample_csv_paths() + paths
    if not paths:
        _err("import-master: give CSV files (or --sample)")
        return EXIT_REJECTED
    try:
        version = import_master(args.ward, paths, db)
    except MasterImportError as err:
        _err(f"import-master: rejected, {len(err.problems)} problem(s); {db} is unchanged")
        for problem in err.problems:
            _err(f"  {problem}")
        return EXIT_REJECTED
    except OSError as err:
        _err(f"import-master: cannot write {db}: {err.strerror}")
        return EXIT_IO
    _out(f"installed {db} version {version}")
    return EXIT_OK


def run_info(args: argparse.Namespace) -> int:
    """Handler of ``master-info``."""
    db: Path = args.db or default_master_path()
    try:
        with AddressMaster.open(db) as master:
            info = master.info()
    except MasterUnavailableError as err:
        _err(f"master-info: {err.path}: {err.reason}")
        return EXIT_IO
    _out(f"ward {info.ward_code} {info.prefecture}{info.city}")
    _out(f"version {info.version}")
    _out(f"content_sha256 {info.content_sha256}")
    for table, count in info.counts.items():
        _out(f"{table} {count}")
    return EXIT_OK
