"""Command line of the sync client: run, send-once, pull-master, status, enrol, requeue."""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from server_sync.config import ENROLMENT_FILE, SyncSettings, load_settings
from server_sync.devicekey import load_or_create_device_key
from server_sync.envelope import KIOSK_ID_RE, key_id_for
from server_sync.errors import ConfigError, SyncError
from server_sync.fsutil import write_atomic
from server_sync.master_pull import MasterStore
from server_sync.runtime import intake_client, open_outbox
from server_sync.service import pull_and_record, run, send_once
from server_sync.status import collect_status
from server_sync.transport import enrol

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
INSTALLED_CA_NAME = "intake-ca.pem"

log = logging.getLogger(__name__)


def _cmd_run(settings: SyncSettings, _args: argparse.Namespace) -> int:
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    run(settings, stop)
    return EXIT_OK


def _cmd_send_once(settings: SyncSettings, _args: argparse.Namespace) -> int:
    report, backlog = send_once(settings)
    print(
        f"sent {report.delivered} filing(s) ({report.duplicates} already at the intake);"
        f" {report.retried} to retry, {report.dead} dead-lettered, backlog {backlog}"
    )
    return EXIT_OK if report.retried == 0 else EXIT_FAILED


def _cmd_pull_master(settings: SyncSettings, _args: argparse.Namespace) -> int:
    store = MasterStore(settings.master_dir, app_link=settings.app_master_path)
    with open_outbox(settings) as outbox, intake_client(settings) as client:
        result = pull_and_record(client, store, outbox)
    state = "updated to" if result.changed else "unchanged at"
    print(f"master data {state} version {result.version}")
    return EXIT_OK


def _cmd_status(settings: SyncSettings, _args: argparse.Namespace) -> int:
    with open_outbox(settings) as outbox:
        report = collect_status(settings, outbox)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return EXIT_OK


def _cmd_requeue(settings: SyncSettings, args: argparse.Namespace) -> int:
    with open_outbox(settings) as outbox:
        ids = [d.id for d in outbox.dead_letters()] if args.all else list(args.ids)
        moved = sum(outbox.requeue_dead(mid) for mid in ids)
    print(f"requeued {moved} dead message(s)")
    return EXIT_OK


def _cmd_enrol(settings: SyncSettings, args: argparse.Namespace) -> int:
    if not KIOSK_ID_RE.match(args.kiosk_id):
        raise ConfigError("kiosk id must be 1-64 characters of A-Z a-z 0-9 . _ -")
    ca_file: Path | None = None
    if args.ca is not None:
        source = Path(args.ca)
        if not source.is_file():
            raise ConfigError(f"CA file {source} does not exist")
        ca_file = settings.state_dir / INSTALLED_CA_NAME
        settings.state_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, ca_file)
    key = load_or_create_device_key(settings.device_key_path)
    ack = enrol(
        args.url,
        token=args.token,
        kiosk_id=args.kiosk_id,
        private_key=key,
        ca_file=ca_file,
        proxy=settings.proxy,
    )
    if ack.key_id != key_id_for(key.public_key()) or ack.kiosk_id != args.kiosk_id:
        raise ConfigError("the intake acknowledged a different kiosk id or key")
    record = {
        "kiosk_id": ack.kiosk_id,
        "intake_url": args.url,
        "ca_file": str(ca_file) if ca_file else None,
        "key_id": ack.key_id,
    }
    write_atomic(settings.state_dir / ENROLMENT_FILE, json.dumps(record, indent=2).encode())
    print(f"enrolled kiosk {ack.kiosk_id} (key id {ack.key_id}) with {args.url}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (``run`` is the default command)."""
    parser = argparse.ArgumentParser(prog="python -m server_sync", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="sender loop + heartbeat + periodic master pull (default)")
    sub.add_parser("send-once", help="flush the outbox once and print how many were sent")
    sub.add_parser("pull-master", help="download and switch to the newest master data")
    sub.add_parser("status", help="JSON: backlog, dead letters, last error, master version")
    requeue = sub.add_parser("requeue", help="staff: retry dead-lettered messages")
    requeue.add_argument("ids", nargs="*", help="message ids")
    requeue.add_argument("--all", action="store_true", help="every dead message")
    enrol_p = sub.add_parser("enrol", help="register this kiosk's key with a one-time token")
    enrol_p.add_argument("--url", required=True, help="intake base URL, e.g. https://intake:8443")
    enrol_p.add_argument("--token", required=True, help="one-time enrolment token from staff")
    enrol_p.add_argument("--kiosk-id", required=True, help="this kiosk's id")
    enrol_p.add_argument("--ca", help="PEM file of the intake's CA (pinned for all requests)")
    return parser


_COMMANDS = {
    None: _cmd_run,
    "run": _cmd_run,
    "send-once": _cmd_send_once,
    "pull-master": _cmd_pull_master,
    "status": _cmd_status,
    "requeue": _cmd_requeue,
    "enrol": _cmd_enrol,
}


_VALUE_OPTIONS = frozenset({"--url", "--token", "--kiosk-id", "--ca"})


def join_option_values(argv: Sequence[str]) -> list[str]:
    """``--token -x…`` → ``--token=-x…``: tokens are URL-safe base64 and may start with "-"."""
    out: list[str] = []
    items = list(argv)
    i = 0
    while i < len(items):
        if items[i] in _VALUE_OPTIONS and i + 1 < len(items):
            out.append(f"{items[i]}={items[i + 1]}")
            i += 2
        else:
            out.append(items[i])
            i += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code (errors print a code, never a traceback)."""
    args = build_parser().parse_args(join_option_values(sys.argv[1:] if argv is None else argv))
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        settings = load_settings()
        return _COMMANDS[args.command](settings, args)
    except SyncError as err:
        print(f"error [{err.code}]: {err}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as err:
        print(f"error [os_error]: {err.strerror} ({err.filename})", file=sys.stderr)
        return EXIT_FAILED
