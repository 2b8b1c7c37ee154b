"""Command line: ``serve`` (the default) and admin sub-commands for staff and technicians."""

from __future__ import annotations

import argparse
import importlib
import logging
import math
import os
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from server_sync.envelope import KIOSK_ID_RE
from server_sync.errors import SyncError
from server_sync.intake import store
from server_sync.intake.app import CONSOLE_MODULE
from server_sync.intake.bindings.cli import COMMANDS as BINDING_COMMANDS
from server_sync.intake.bindings.cli import add_parsers as add_binding_parsers
from server_sync.intake.cardface.cli import add_card_face_parser
from server_sync.intake.clock import stamp, utc_now
from server_sync.intake.db import migrate, open_engine
from server_sync.intake.errors import MalformedJsonError
from server_sync.intake.export import (
    ExportMark,
    ExportSelection,
    FilingKey,
    export_csv,
    export_json,
    relationship_codes_of,
    run_export,
)
from server_sync.intake.kihon import export_kihon_csv
from server_sync.intake.kihon.encoding import Encoding
from server_sync.intake.kihon.output import (
    PROFILE_KIHON,
    PROFILE_KIOSK,
    PROFILES,
    mapping_for,
    ward_settings_of,
    write_document,
)
from server_sync.intake.masterset import read_master_folder
from server_sync.intake.records import Filing as StoredFiling
from server_sync.intake.settings import TOKEN_TTL, IntakeSettings
from server_sync.intake.staff_cli import add_staff_parser, cli_actor
from server_sync.intake.workers import FACTORY, LOG_FORMAT, SETTINGS_ENV, settings_to_env

log = logging.getLogger(__name__)

DEFAULT_LISTEN = "127.0.0.1:8443"
INITIAL_STAFF = "admin"
INITIAL_PASSWORD_FILE = "initial-admin-password"  # noqa: S105 - a file name
PRIVATE_FILE_MODE = 0o600
SUBCOMMANDS = (
    "serve",
    "token",
    "revoke",
    "kiosks",
    "export",
    "publish-master",
    "migrate",
    "openapi",
    "staff",
    *BINDING_COMMANDS,
    "card-face",
)
EXIT_USAGE = 2
PRIVATE_DIR_MODE = 0o700
#: enrolment tokens live at least 5 minutes and at most 30 days
MIN_TOKEN_TTL_DAYS = 5 / (24 * 60)
MAX_TOKEN_TTL_DAYS = 30
MAX_WORKERS = 64


def parse_listen(text: str) -> tuple[str, int]:
    """``HOST:PORT`` or ``[v6]:PORT`` → (host, port)."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


def default_data_dir(db_url: str) -> Path:
    """Next to an SQLite file (``<dir>/intake-data``), else ``./var/intake``."""
    if db_url.startswith("sqlite:///"):
        return Path(db_url.removeprefix("sqlite:///")).resolve().parent / "intake-data"
    return Path("var/intake").resolve()


def _engine(args: argparse.Namespace) -> Engine:
    engine = open_engine(args.db)
    migrate(engine)
    return engine


def write_initial_password(data_dir: Path, username: str, password: str) -> Path:
    """Write the first account's password to ``<data_dir>/initial-admin-password`` (0600)."""
    path = data_dir / INITIAL_PASSWORD_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), PRIVATE_FILE_MODE)
        out.write(f"{username}\n{password}\n")
    return path


def ensure_initial_staff(engine: Engine) -> tuple[str, str] | None:
    """Create the first staff account (role admin) if there is none; (username, password) once."""
    try:
        console: Any = importlib.import_module(CONSOLE_MODULE)
    except ModuleNotFoundError as err:
        if err.name != CONSOLE_MODULE:
            raise
        console = None
    hook = getattr(console, "ensure_initial_staff", None)
    if callable(hook):
        result: tuple[str, str] | None = hook(engine)
        return result
    if store.count_staff(engine) > 0:
        return None
    from server_sync.intake.passwords import generate_password

    password = generate_password()
    store.create_staff(engine, INITIAL_STAFF, password, now=utc_now(), actor="system", role="admin")
    return INITIAL_STAFF, password


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the intake under uvicorn (HTTPS with the dev CA unless --no-tls)."""
    import uvicorn

    from server_sync.intake.app import create_app
    from server_sync.intake.devca import ensure_dev_tls

    data_dir = args.data_dir or default_data_dir(args.db)
    data_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    data_dir.chmod(PRIVATE_DIR_MODE)  # holds the TLS keys and the initial password: owner only
    settings = IntakeSettings(
        db_url=args.db,
        data_dir=data_dir,
        trust_dir=args.trust_dir,
        reject_untrusted_chain=args.reject_untrusted_chain,
    )
    if args.workers > 1:
        # the workers build their own apps; here only migrate and make the first account
        engine = open_engine(settings.db_url)
        migrate(engine)
        app: Any = FACTORY
        os.environ[SETTINGS_ENV] = settings_to_env(settings)
    else:
        app = create_app(settings)
        engine = app.state.intake.engine
    account = ensure_initial_staff(engine)
    if account is not None:  # the password goes to an owner-only file, never to the journal
        secret = write_initial_password(data_dir, *account)
        print(f"intake: initial staff account {account[0]} (role admin); password in {secret}")
    ssl: dict[str, str] = {}
    if not args.no_tls:
        files, created = ensure_dev_tls(data_dir)
        if created:
            print(f"intake: generated dev CA {files.ca_cert} (kiosks trust only this CA file)")
        log.info("TLS with CA %s", files.ca_cert)
        ssl = {"ssl_certfile": str(files.server_cert), "ssl_keyfile": str(files.server_key)}
    host, port = args.listen
    scheme = "http" if args.no_tls else "https"
    shown_host = f"[{host}]" if ":" in host else host
    print(f"intake: clerk console at {scheme}://{shown_host}:{port}/console/")
    sys.stdout.flush()
    if args.workers > 1:
        engine.dispose()  # the workers open their own connections
        log.info("serving with %d worker processes", args.workers)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=args.log_level,
        factory=args.workers > 1,
        workers=args.workers if args.workers > 1 else None,
        **ssl,  # type: ignore[arg-type]
    )
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    """Print a new one-time enrolment token bound to --kiosk-id."""
    token = store.create_enrol_token(
        _engine(args),
        args.kiosk_id,
        ttl=timedelta(days=args.ttl_days),
        now=utc_now(),
        actor=cli_actor(),
    )
    print(token)
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    """Revoke a kiosk (its requests are refused from now on)."""
    kiosk = store.revoke_kiosk(_engine(args), args.kiosk_id, now=utc_now(), actor=cli_actor())
    print(f"revoked {kiosk.kiosk_id}")
    return 0


def cmd_kiosks(args: argparse.Namespace) -> int:
    """List kiosks with last contact, backlog and master version."""
    for k in store.list_kiosks(_engine(args)):
        state = "revoked" if k.revoked else "active"
        print(
            f"{k.kiosk_id}\t{state}\t{k.key_id}\t{k.last_contact_at or '-'}\t"
            f"backlog={k.backlog if k.backlog is not None else '-'}\t"
            f"master={k.master_version or '-'}"
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write accepted filings as CSV or JSON (stdout or --output); --not-exported, --mark."""
    engine = _engine(args)
    selection = ExportSelection(
        accepted_from=args.accepted_from,
        accepted_to=args.accepted_to,
        not_exported=args.not_exported,
    )
    codes = relationship_codes_of(engine) if args.format == "csv" else None
    # read before the export's write transaction (SQLite: one BEGIN IMMEDIATE at a time)
    kihon = None
    if codes is not None and args.profile == PROFILE_KIHON:
        kihon = (mapping_for(args.mapping, codes), ward_settings_of(engine))

    def render(filings: list[StoredFiling], marks: dict[FilingKey, ExportMark]) -> bytes:
        if codes is not None:
            if kihon is not None:
                text = export_kihon_csv(filings, *kihon)
            else:
                text = export_csv(filings, codes, marks)
            encoding = Encoding(args.encoding)
        else:
            text = export_json(filings, stamp(utc_now()))
            encoding = Encoding.UTF8
        # written inside the export's transaction: a failed write marks nothing
        return write_document(
            text, encoding=encoding, allow_loss=args.allow_loss, output=args.output
        )

    run = run_export(
        engine, selection, render, mark_by=cli_actor() if args.mark else None, now=utc_now()
    )
    if args.output is not None:
        print(f"exported {len(run.filings)} filings to {args.output}", file=sys.stderr)
    if args.mark:
        print(f"marked {run.newly_marked} filings as exported", file=sys.stderr)
    return 0


def cmd_publish_master(args: argparse.Namespace) -> int:
    """Publish the files of --master as a new master set version (no-op if unchanged)."""
    files = read_master_folder(args.master)
    manifest, created = store.publish_master_files(
        _engine(args), files, now=utc_now(), actor=cli_actor()
    )
    print(f"{'published' if created else 'unchanged'} {manifest.version} ({len(files)} files)")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Apply pending migrations and exit."""
    engine = open_engine(args.db)
    for name in migrate(engine):
        print(f"applied {name}")
    return 0


def openapi_document() -> str:
    """The OpenAPI spec of the kiosk API as JSON text (saved as docs/openapi.json)."""
    import json
    import tempfile

    from server_sync.intake.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(IntakeSettings(db_url=f"sqlite:///{tmp}/spec.db", data_dir=Path(tmp)))
        spec = app.openapi()
        app.state.intake.engine.dispose()
    return json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def cmd_openapi(args: argparse.Namespace) -> int:
    """Print (or write to --output) the OpenAPI document."""
    text = openapi_document()
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"expected 1..{MAX_WORKERS} worker processes")
    return int(text)


def _kiosk_id(text: str) -> str:
    """A kiosk id by the enrolment rule (letters, digits, ``._-``; at most 64)."""
    if not KIOSK_ID_RE.fullmatch(text):
        raise argparse.ArgumentTypeError(
            "a kiosk id is 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit)"
        )
    return text


def _ttl_days(text: str) -> float:
    """Token lifetime in days, within (0, MAX_TOKEN_TTL_DAYS]."""
    try:
        days = float(text)
    except ValueError:
        days = math.nan
    if not MIN_TOKEN_TTL_DAYS <= days <= MAX_TOKEN_TTL_DAYS:  # NaN fails too
        raise argparse.ArgumentTypeError(
            f"expected a number of days from {MIN_TOKEN_TTL_DAYS} to {MAX_TOKEN_TTL_DAYS}"
        )
    return days


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, help="sqlite:///PATH or postgresql://…")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(prog="python -m server_sync.intake")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the intake (default)")
    _db(serve)
    serve.add_argument("--listen", type=parse_listen, default=parse_listen(DEFAULT_LISTEN))
    serve.add_argument("--data-dir", type=Path, default=None)
    serve.add_argument("--trust-dir", type=Path, default=None, help="JPKI root PEM files")
    serve.add_argument("--no-tls", action="store_true", help="plain HTTP (behind a TLS proxy)")
    serve.add_argument("--reject-untrusted-chain", action="store_true")
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--workers",
        type=_workers,
        default=1,
        help="uvicorn worker processes (default 1; 2 uses both cores of a small server)",
    )
    serve.set_defaults(handler=cmd_serve)

    token = sub.add_parser("token", help="enrolment tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="print a one-time enrolment token")
    _db(create)
    create.add_argument("--kiosk-id", required=True, type=_kiosk_id)
    create.add_argument("--ttl-days", type=_ttl_days, default=TOKEN_TTL.days)
    create.set_defaults(handler=cmd_token)

    revoke = sub.add_parser("revoke", help="revoke a kiosk")
    _db(revoke)
    revoke.add_argument("--kiosk-id", required=True)
    revoke.set_defaults(handler=cmd_revoke)

    kiosks = sub.add_parser("kiosks", help="list kiosks")
    _db(kiosks)
    kiosks.set_defaults(handler=cmd_kiosks)

    export = sub.add_parser("export", help="export accepted filings")
    _db(export)
    export.add_argument("--format", choices=("csv", "json"), required=True)
    export.add_argument("--output", type=Path, default=None)
    export.add_argument("--accepted-from", default=None, help="RFC 3339 UTC, inclusive")
    export.add_argument("--accepted-to", default=None, help="RFC 3339 UTC, exclusive")
    export.add_argument("--profile", choices=PROFILES, default=PROFILE_KIOSK, help="CSV layout")
    export.add_argument("--mapping", type=Path, default=None, help="ward mapping dir (kihon)")
    export.add_argument(
        "--encoding", choices=tuple(e.value for e in Encoding), default=Encoding.UTF8.value
    )
    export.add_argument("--allow-loss", action="store_true", help="cp932: substitute 〓")
    export.add_argument(
        "--not-exported", action="store_true", help="only filings not marked exported yet"
    )
    export.add_argument(
        "--mark", action="store_true", help="mark the exported filings (exported_at/_by)"
    )
    export.set_defaults(handler=cmd_export)

    publish = sub.add_parser("publish-master", help="publish a master-data set from a folder")
    _db(publish)
    publish.add_argument("--master", type=Path, required=True)
    publish.set_defaults(handler=cmd_publish_master)

    mig = sub.add_parser("migrate", help="apply database migrations")
    _db(mig)
    mig.set_defaults(handler=cmd_migrate)

    add_staff_parser(sub, _db)
    add_binding_parsers(sub, _db)
    add_card_face_parser(sub)

    spec = sub.add_parser("openapi", help="print the OpenAPI document (docs/openapi.json)")
    spec.add_argument("--output", type=Path, default=None)
    spec.set_defaults(handler=cmd_openapi)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; without a sub-command the intake is served."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in (*SUBCOMMANDS, "-h", "--help"):
        args_list.insert(0, "serve")
    args = build_parser().parse_args(args_list)
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except SyncError as err:
        detail = getattr(err, "detail", str(err))
        print(f"error: {err.code}: {detail}", file=sys.stderr)
        return EXIT_USAGE
    except MalformedJsonError as err:  # pragma: no cover - covered by SyncError
        print(f"error: {err.code}: {err.detail}", file=sys.stderr)
        return EXIT_USAGE
